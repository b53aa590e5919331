"""The minutes page saves all its items in one service, in one transaction."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.models import Minutes
from meetings.tests.factories import AgendaItemFactory, past_meeting

pytestmark = pytest.mark.django_db


def test_minutes_record_writes_every_item_and_publishes(facilitator):
    meeting = past_meeting()
    first = AgendaItemFactory(meeting=meeting, position=0)
    second = AgendaItemFactory(meeting=meeting, position=1)

    services.minutes_record(
        meeting=meeting, texts=[(first, "Hot news."), (second, "Barriers.")], by=facilitator, publish=True
    )

    assert list(Minutes.objects.order_by("agenda_item__position").values_list("text", "updated_by")) == [
        ("Hot news.", facilitator.pk),
        ("Barriers.", facilitator.pk),
    ]
    meeting.refresh_from_db()
    assert meeting.minutes_published_by == facilitator


def test_minutes_record_failing_midway_leaves_nothing_written(facilitator):
    meeting = past_meeting()
    first = AgendaItemFactory(meeting=meeting, position=0)
    elsewhere = AgendaItemFactory(meeting=past_meeting(), position=0)

    with pytest.raises(ValidationError):
        services.minutes_record(
            meeting=meeting, texts=[(first, "Hot news."), (elsewhere, "Not here.")], by=facilitator, publish=True
        )

    assert list(Minutes.objects.all()) == []
    assert list(Minutes.history.all()) == []
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is None


def test_minutes_page_saves_through_the_service(facilitator_client, facilitator):
    meeting = past_meeting()
    item = AgendaItemFactory(meeting=meeting, position=0)

    response = facilitator_client.post(
        reverse("meetings:minutes", args=[meeting.pk]), {f"item-{item.pk}-text": "  Hot news.  ", "publish": "1"}
    )

    assert response.status_code == 302
    assert list(Minutes.objects.values_list("agenda_item", "text", "updated_by")) == [
        (item.pk, "Hot news.", facilitator.pk)
    ]
    meeting.refresh_from_db()
    assert meeting.minutes_published_by == facilitator
