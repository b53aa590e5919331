"""What is erased of a member's theme data before their account is deleted."""

from django.db import transaction
from django.db.models import Q

from ..enums import (
    OPEN_STATES,
    PresenterStatus,
)
from ..models import (
    ExperienceSheet,
    PresenterRole,
    Question,
    QuestionVote,
    SheetAttachment,
    Theme,
    ThemeInterest,
    ThemeTransition,
)
from .lifecycle import _sync_leads, theme_counts_refresh


@transaction.atomic
def member_data_erase(*, member) -> None:
    """Before an account is deleted: keep themes and questions, credited to a former member.

    Interest and votes go; presenter roles on themes still to come free their slot;
    on past themes they stay, without the person.
    """
    Theme.objects.filter(proposer=member).update(proposer=None)
    Theme.objects.filter(state_changed_by=member).update(state_changed_by=None)
    Question.objects.filter(author=member).update(author=None)
    Question.objects.filter(answered_by=member).update(answered_by=None)
    Question.objects.filter(hidden_by=member).update(hidden_by=None)
    ThemeTransition.objects.filter(by=member).update(by=None)
    ExperienceSheet.objects.filter(updated_by=member).update(updated_by=None)
    SheetAttachment.objects.filter(added_by=member).update(added_by=None)
    upcoming = PresenterRole.objects.filter(member=member, theme__state__in=OPEN_STATES)
    # Lock the themes whose counts change, as the interest and presenter services do.
    recounted = list(
        Theme.objects.select_for_update()
        .filter(
            Q(pk__in=ThemeInterest.objects.filter(member=member).values("theme")) | Q(pk__in=upcoming.values("theme"))
        )
        .values_list("pk", flat=True)
    )
    ThemeInterest.objects.filter(member=member).delete()
    QuestionVote.objects.filter(member=member).delete()
    themes = list(Theme.objects.filter(presenter_roles__in=upcoming).distinct())
    upcoming.update(member=None, status=PresenterStatus.REMOVED, slot=None)
    PresenterRole.objects.filter(member=member).update(member=None)
    PresenterRole.objects.filter(invited_by=member).update(invited_by=None)
    PresenterRole.objects.filter(status_changed_by=member).update(status_changed_by=None)
    theme_counts_refresh(theme_ids=recounted)
    for theme in themes:
        _sync_leads(theme)
