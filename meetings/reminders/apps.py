from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Reminders before a meeting and notices of its changes (stays under ``meetings/``: its URLs and templates do)."""

    name = "meetings.reminders"
    label = "reminders"
    verbose_name = _("Reminders and notices")

    def ready(self):
        from meetings import signals

        from . import receivers

        signals.meeting_rescheduled.connect(receivers.notice_rescheduled, dispatch_uid="reminders.notice_rescheduled")
        signals.meeting_cancelled.connect(receivers.notice_cancelled, dispatch_uid="reminders.notice_cancelled")
        signals.meeting_published.connect(receivers.announce_published, dispatch_uid="reminders.announce_published")
        signals.minutes_published.connect(receivers.summary_published, dispatch_uid="reminders.summary_published")
