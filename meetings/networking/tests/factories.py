from datetime import timedelta

import factory
from django.utils import timezone

from community.models import Organisation
from community.tests.factories import UserFactory
from meetings.enums import MeetingState, RSVPResponse
from meetings.models import RSVP, Meeting


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Cité des métiers {n}")
    slug = factory.Sequence(lambda n: f"cite-{n}")
    city = "Lyon"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    state = MeetingState.PUBLISHED


def going_members(meeting, count: int, *, centres: int | None = None) -> list:
    """Members going to the meeting, spread over ``centres`` centres (one each by default)."""
    organisations = [OrganisationFactory() for _ in range(centres or count)]
    members = []
    for index in range(count):
        member = UserFactory(organisation=organisations[index % len(organisations)])
        RSVP.objects.create(meeting=meeting, member=member, response=RSVPResponse.GOING)
        members.append(member)
    return members
