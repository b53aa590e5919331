from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    RESCHEDULED = "rescheduled", _("Notice of a new date")
    CANCELLED = "cancelled", _("Notice of cancellation")
    WEEKLY_DIGEST = "digest_weekly", _("Weekly digest")
    MONTHLY_DIGEST = "digest_monthly", _("Monthly digest")
    ANNOUNCEMENT = "announcement", _("Announcement of a new meeting")
    SUMMARY = "summary", _("Summary after the meeting")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    CLAIMED = "claimed", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")
    # About a version of the meeting that changed before it went out: closed, never sent.
    SUPERSEDED = "superseded", _("Replaced by a newer date")


# A delivery in one of these states may still be sent.
OPEN_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.CLAIMED)

# Digests are about a member and a period, not a meeting.
DIGEST_KINDS = (DeliveryKind.WEEKLY_DIGEST, DeliveryKind.MONTHLY_DIGEST)
NOTICE_KINDS = (DeliveryKind.RESCHEDULED, DeliveryKind.CANCELLED)
# Sent once per member per meeting, whatever the meeting's version: the announcement when it is
# published, the summary when its minutes are (published again after being hidden: not sent again).
ONCE_KINDS = (DeliveryKind.ANNOUNCEMENT, DeliveryKind.SUMMARY)
