from datetime import timedelta

import factory
from django.utils import timezone

from meetings.enums import AgendaKind, MeetingState, RSVPResponse
from meetings.models import RSVP, AgendaItem, Meeting


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Partnership officers meeting #{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    duration_minutes = 120
    time_zone = "Europe/Brussels"
    online_url = "https://meet.example.org/keep-in-pact"
    state = MeetingState.PUBLISHED


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    kind = AgendaKind.HOT_NEWS
    title = "Hot news"
    duration_minutes = 20
    position = factory.Sequence(lambda n: n)


class RSVPFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RSVP

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory("community.tests.factories.UserFactory")
    response = RSVPResponse.GOING
