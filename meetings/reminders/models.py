"""Reminder settings per meeting and one delivery record per message a member is due to receive."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting

from .enums import DIGEST_KINDS, NOTICE_KINDS, ONCE_KINDS, DeliveryKind, DeliveryStatus

__all__ = ["Delivery", "ReminderSettings"]


def default_offsets() -> list[int]:
    return list(settings.REMINDER_DEFAULT_OFFSETS)


class ReminderSettings(models.Model):
    """When the reminders of one meeting go out. A meeting without a row uses the defaults."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, primary_key=True, related_name="reminder_settings"
    )
    # Minutes before the start, largest first; the first one also goes to members who have not answered.
    offsets = models.JSONField(_("reminders (minutes before the start)"), default=default_offsets)
    # The meeting's calendar SEQUENCE at its last reschedule: the version of the schedule that reminders
    # and notices of a new date are about (other edits bump SEQUENCE too, but change no reminder).
    schedule_version = models.PositiveIntegerField(_("schedule version"), default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(self.meeting)


class Delivery(models.Model):
    """One email to one member: about one meeting (a reminder per offset, a change notice, the
    announcement of its publication, the summary after it), or a digest of one period (weekly or
    monthly, no meeting).

    A delivery is about one version of the meeting: reminders about a schedule version (see
    ``ReminderSettings.schedule_version``), notices about the SEQUENCE of the change they announce.
    The unique constraints make "exactly once per member per version" a property of the database:
    the dispatcher may run twice, concurrently or after a crash, and still creates each row only
    once; a row is claimed by one sender at a time and marked sent right after the mail server
    accepted its message. A digest row is keyed by member, kind and period start, and holds the
    window it gathers for each topic (``digest_windows``), fixed when the row is created.
    """

    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_deliveries")
    kind = models.CharField(_("kind"), max_length=16, choices=DeliveryKind.choices, default=DeliveryKind.REMINDER)
    # Reminders: minutes before the start. Notices: 0.
    offset_minutes = models.PositiveIntegerField(_("minutes before the start"), default=0)
    # The version of the meeting the row is about, and the start it reminds of or announces.
    version = models.PositiveIntegerField(_("meeting version"), default=0)
    starts_at = models.DateTimeField(_("meeting start"), null=True, blank=True)
    # Digests: the period (from one boundary to the next, in the member's time zone; the digest is
    # due at its end) and, per topic, the exact window gathered: {"theme_updates": [start, end]}.
    period_start = models.DateTimeField(_("period start"), null=True, blank=True)
    period_end = models.DateTimeField(_("period end"), null=True, blank=True)
    digest_windows = models.JSONField(_("windows gathered"), default=dict, blank=True)
    # Set when the row is created, so that every attempt sends the same Message-ID.
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=36, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member", "version", "offset_minutes"],
                condition=Q(kind=DeliveryKind.REMINDER),
                name="one_reminder_per_member_per_version_offset",
            ),
            models.UniqueConstraint(
                fields=["meeting", "member", "kind", "version"],
                condition=Q(kind__in=NOTICE_KINDS),
                name="one_notice_per_member_per_version",
            ),
            models.UniqueConstraint(
                fields=["meeting", "member", "kind"],
                condition=Q(kind__in=ONCE_KINDS),
                name="one_announcement_or_summary_per_member",
            ),
            models.UniqueConstraint(
                fields=["member", "kind", "period_start"],
                condition=Q(kind__in=DIGEST_KINDS),
                name="one_digest_per_member_per_period",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=DIGEST_KINDS, meeting__isnull=True, period_start__lt=F("period_end"))
                    | (~Q(kind__in=DIGEST_KINDS) & Q(meeting__isnull=False, starts_at__isnull=False))
                ),
                name="delivery_about_a_meeting_or_a_period",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False),
                name="sent_delivery_has_sent_at",
            ),
        ]
        indexes = [
            models.Index(
                fields=["meeting", "kind", "offset_minutes"],
                condition=Q(status__in=["pending", "claimed"]),
                name="delivery_open_idx",
            ),
        ]

    def __str__(self) -> str:
        about = self.meeting_id if self.meeting_id else f"{self.period_start:%Y-%m-%d}"
        return f"{self.get_kind_display()} — {about} → {self.member_id}"
