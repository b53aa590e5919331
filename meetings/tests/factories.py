from datetime import timedelta

import factory
from django.utils import timezone

from community.tests.factories import UserFactory
from meetings.enums import AgendaKind, MeetingState, RSVPResponse
from meetings.models import RSVP, AgendaItem, Meeting, Resource


class MeetingFactory(factory.django.DjangoModelFactory):
    """A published meeting in a week, online, Paris time."""

    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Bimonthly meeting {n}")
    description = "Hot news, barriers, successes and a human-bookstore session."
    starts_at = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=7)).replace(microsecond=0))
    duration_minutes = 120
    time_zone = "Europe/Paris"
    online_url = "https://meet.example.org/kip"
    state = MeetingState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


def past_meeting(**kwargs) -> Meeting:
    kwargs.setdefault("starts_at", timezone.now() - timedelta(days=30))
    return MeetingFactory(**kwargs)


def draft_meeting(**kwargs) -> Meeting:
    return MeetingFactory(state=MeetingState.DRAFT, published_at=None, **kwargs)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    kind = AgendaKind.OTHER
    title = factory.Sequence(lambda n: f"Item {n}")
    duration_minutes = 20
    position = factory.Sequence(lambda n: n)


class RSVPFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RSVP

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory(UserFactory)
    response = RSVPResponse.GOING


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Partnership tool {n}")
    description = "A canvas to map partners."
    url = factory.Sequence(lambda n: f"https://example.org/tool-{n}")
    added_by = factory.SubFactory(UserFactory)
