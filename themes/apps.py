from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Themes")

    def ready(self):
        from meetings import signals

        from . import receivers

        signals.meeting_cancelled.connect(receivers.backlog_on_cancel, dispatch_uid="themes.backlog_on_cancel")
        receivers.connect_cards()
