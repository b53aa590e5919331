from datetime import timedelta

import factory
from django.utils import timezone

from community.tests.factories import UserFactory
from meetings.enums import MeetingState
from meetings.models import Meeting
from themes.enums import PresenterStatus, ThemeReason, ThemeState
from themes.models import PresenterRole, Question, Theme
from themes.services.lifecycle import theme_counts_refresh


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    title = factory.Sequence(lambda n: f"Theme number {n}")
    summary = "How we work with our partners."
    reason = ThemeReason.INNOVATION
    state = ThemeState.PROPOSED
    proposer = factory.SubFactory(UserFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    state = MeetingState.PUBLISHED


def presenter(theme, member=None, *, status=PresenterStatus.CONFIRMED, slot=None, pitch="I did it.") -> PresenterRole:
    """Give a theme a presenter in the next free slot."""
    if slot is None:
        taken = set(theme.presenter_roles.exclude(slot=None).values_list("slot", flat=True))
        slot = 1 if 1 not in taken else 2
    role = PresenterRole.objects.create(
        theme=theme, member=member or UserFactory(), status=status, slot=slot, pitch=pitch
    )
    # Leave the theme's count column as the presenter services would.
    theme_counts_refresh(theme_ids=[theme.pk])
    return role


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    theme = factory.SubFactory(ThemeFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Question {n}?")
