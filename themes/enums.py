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
