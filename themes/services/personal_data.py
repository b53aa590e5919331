"""What is erased of a member's theme data before their account is deleted."""

from django.db import transaction

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
from .lifecycle import _sync_leads


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
    ThemeInterest.objects.filter(member=member).delete()
    QuestionVote.objects.filter(member=member).delete()
    upcoming = PresenterRole.objects.filter(member=member, theme__state__in=OPEN_STATES)
    themes = list(Theme.objects.filter(presenter_roles__in=upcoming).distinct())
    upcoming.update(member=None, status=PresenterStatus.REMOVED, slot=None)
    PresenterRole.objects.filter(member=member).update(member=None)
    PresenterRole.objects.filter(invited_by=member).update(invited_by=None)
    PresenterRole.objects.filter(status_changed_by=member).update(status_changed_by=None)
    for theme in themes:
        _sync_leads(theme)
