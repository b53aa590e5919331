"""What the guide's page tests share: a meeting and a theme to cite as sources, and the
contribution form's fields."""

from datetime import timedelta

from django.utils import timezone

from guide.enums import ContributionKind, ContributionState, Credit
from meetings.enums import MeetingState
from meetings.models import Meeting
from themes.enums import ThemeReason, ThemeState
from themes.models import Theme

S = ContributionState
LOGIN = "/accounts/login/?next="
WAITING = "/members/waiting/"


def source_meeting(**kwargs):
    defaults = {
        "title": "Meeting of March",
        "starts_at": timezone.now() - timedelta(days=30),
        "state": MeetingState.PUBLISHED,
    }
    return Meeting.objects.create(**{**defaults, **kwargs})


def source_theme(**kwargs):
    defaults = {
        "title": "Gamified speed networking",
        "summary": "How we made partners meet.",
        "reason": ThemeReason.INNOVATION,
        "state": ThemeState.PRESENTED,
    }
    return Theme.objects.create(**{**defaults, **kwargs})


def contribution_form_data(chapter_obj, **overrides):
    data = {
        "kind": ContributionKind.TESTIMONY,
        "title": "Breakfast with partners",
        "chapter": chapter_obj.pk,
        "body": "Every first Monday, we invite **all partners** to breakfast.",
        "centre": "",
        "source_theme": "",
        "source_meeting": "",
        "source_resource": "",
        "credit": Credit.NAME,
        "licence_consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
