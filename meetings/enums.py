from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class AgendaKind(models.TextChoices):
    HOT_NEWS = "hot_news", _("Hot news")
    BARRIERS = "barriers", _("Key barriers and challenges")
    OPPORTUNITIES = "opportunities", _("Opportunities and successes")
    HUMAN_BOOKSTORE = "human_bookstore", _("Human bookstore")
    OTHER = "other", _("Other")


class RSVPResponse(models.TextChoices):
    GOING = "going", _("Going")
    MAYBE = "maybe", _("Maybe")
    NOT_GOING = "not_going", _("Not going")
    WAITLISTED = "waitlisted", _("On the waiting list")
