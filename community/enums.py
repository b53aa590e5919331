from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    SUSPENDED = "suspended", _("Suspended")


class NotificationKind(models.TextChoices):
    REMINDERS = "reminders", _("Meeting reminders")
    MEETING_CHANGES = "meeting_changes", _("Meeting changes and cancellations")
    THEME_UPDATES = "theme_updates", _("Updates on themes I follow")
    GUIDE_UPDATES = "guide_updates", _("Review updates on my guide contributions")
    MEETING_NEWS = "meeting_news", _("New meetings")
    GUIDE_REVIEW = "guide_review", _("Contributions sent to the guide editors")
    ACCOUNT = "account", _("Account and approval messages")


class NotificationFrequency(models.TextChoices):
    """How often a member hears of theme and guide updates and of new meetings."""

    IMMEDIATE = "immediate", _("Right away")
    WEEKLY = "weekly", _("In a weekly digest")
    MONTHLY = "monthly", _("In a monthly digest")
    NEVER = "never", _("Never")


# What a digest can gather, each with its own frequency (see ``User.frequency``).
DIGEST_TOPICS = (NotificationKind.THEME_UPDATES, NotificationKind.GUIDE_UPDATES, NotificationKind.MEETING_NEWS)
DIGEST_FREQUENCIES = (NotificationFrequency.WEEKLY, NotificationFrequency.MONTHLY)


FACILITATORS_GROUP = "Facilitators"
GUIDE_EDITORS_GROUP = "Guide editors"


class AuditKind(models.TextChoices):
    """The decisions the audit trail records (the services that take them call ``audit.services.record``)."""

    MEMBER_APPROVED = "member_approved", _("Member approved")
    MEMBER_DECLINED = "member_declined", _("Sign-up declined")
    MEMBER_SUSPENDED = "member_suspended", _("Member suspended")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    MEETING_RESCHEDULED = "meeting_rescheduled", _("Meeting rescheduled")
    PRESENTER_REMOVED = "presenter_removed", _("Presenter removed")
    QUESTION_HIDDEN = "question_hidden", _("Question hidden")
    QUESTION_SHOWN = "question_shown", _("Question shown again")
    ENTRY_PUBLISHED = "entry_published", _("Guide entry published")
    ENTRY_REJECTED = "entry_rejected", _("Guide contribution rejected")
    BUDDY_PAIRED = "buddy_paired", _("Newcomer paired with a buddy")
