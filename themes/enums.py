from django.db import models
from django.utils.translation import gettext_lazy as _


class ThemeReason(models.TextChoices):
    DIFFICULTY = "difficulty", _("A difficulty")
    QUESTION = "question", _("A technical question")
    INNOVATION = "innovation", _("An innovation or success")


class ThemeState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SCHEDULED = "scheduled", _("Scheduled")
    PRESENTED = "presented", _("Presented")
    ARCHIVED = "archived", _("Archived")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined")


# States in which a theme still looks for (or keeps changing) its presenters.
OPEN_STATES = (ThemeState.PROPOSED, ThemeState.SCHEDULED)
# States hidden from the backlog unless asked for explicitly.
CLOSED_STATES = (ThemeState.WITHDRAWN, ThemeState.DECLINED)


class PresenterStatus(models.TextChoices):
    INVITED = "invited", _("Invited by a presenter")
    VOLUNTEERED = "volunteered", _("Volunteered")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined the invitation")
    REMOVED = "removed", _("No longer presenting")


# A role in one of these statuses holds one of the two presenter slots.
SLOT_STATUSES = (PresenterStatus.INVITED, PresenterStatus.VOLUNTEERED, PresenterStatus.CONFIRMED)
# A member in one of these statuses is a presenter (may edit the sheet, answer questions).
PRESENTING_STATUSES = (PresenterStatus.VOLUNTEERED, PresenterStatus.CONFIRMED)

MAX_PRESENTERS = 2


class ThemeSort(models.TextChoices):
    NEWEST = "newest", _("Newest")
    INTEREST = "interest", _("Most interest")
    PRESENTERS = "presenters", _("Looking for presenters")
