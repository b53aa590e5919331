from django.db import models
from django.utils.translation import gettext_lazy as _


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
