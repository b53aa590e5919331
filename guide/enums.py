from django.db import models
from django.utils.translation import gettext_lazy as _


class ContributionKind(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic recommendation")
    OPERATIONAL = "operational", _("Operational recommendation")
    TESTIMONY = "testimony", _("Testimony")
    FIELD_EXAMPLE = "field_example", _("Field example of a practice")
    TRAINING_FEEDBACK = "training_feedback", _("Feedback on a training activity")


class ContributionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class Credit(models.TextChoices):
    NAME = "name", _("Credit me by name and centre")
    ANONYMOUS = "anonymous", _("Credit “a member of the network”")


class CoAuthorCredit(models.TextChoices):
    """How a co-author is credited, their own choice (the author's ``Credit`` and one more)."""

    NAME = "name", _("Credit me by name and centre")
    NAME_ONLY = "name_only", _("Credit me by name only")
    ANONYMOUS = "anonymous", _("Credit “a member of the network”")


class Actor(models.TextChoices):
    """Who may make a move of the review workflow."""

    AUTHOR = "author", _("the author")
    EDITOR = "editor", _("a guide editor")


# States in which the author may still change the text.
EDITABLE_STATES = frozenset({ContributionState.DRAFT, ContributionState.CHANGES_REQUESTED})
# States in which the author may delete the contribution for good (never submitted).
DELETABLE_STATES = frozenset({ContributionState.DRAFT})
# States still waiting for something to happen (shown as "open" on the dashboard).
OPEN_STATES = frozenset(
    {
        ContributionState.DRAFT,
        ContributionState.SUBMITTED,
        ContributionState.IN_REVIEW,
        ContributionState.CHANGES_REQUESTED,
        ContributionState.ACCEPTED,
    }
)
# Slugs a chapter may not take: they are pages of the guide.
RESERVED_SLUGS = frozenset({"contribute", "mine", "preview", "search", "guide.pdf"})
