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
    ACCOUNT = "account", _("Account and approval messages")


FACILITATORS_GROUP = "Facilitators"
GUIDE_EDITORS_GROUP = "Guide editors"
