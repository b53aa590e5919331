"""The list of past meetings is kept rendered, and what it shows is current at once."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.enums import MeetingState
from meetings.models import Meeting
from meetings.tests.factories import MeetingFactory, draft_meeting, past_meeting

pytestmark = pytest.mark.django_db

URL = "/meetings/"


def _past(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('id="past-heading"') : html.index("calendar-feed")]


def _upcoming(client) -> str:
    html = client.get(URL).content.decode()
    return html[html.index('id="upcoming-heading"') : html.index('id="past-heading"')]


def test_a_second_view_reads_the_kept_past_meetings(member_client):
    for n in range(3):
        past_meeting(title=f"Held meeting {n}", starts_at=timezone.now() - timedelta(days=30 + n))
    first = _past(member_client)

    with CaptureQueriesContext(connection) as kept:
        again = _past(member_client)

    assert again == first and "Held meeting 2" in again
    # The user, the groups, the meetings to come with the answers, the calendar feed.
    assert len(kept.captured_queries) == 4


def test_a_renamed_cancelled_or_moved_meeting_shows_at_once(member_client, facilitator):
    held = past_meeting(title="Winter meeting")
    assert "Winter meeting" in _past(member_client)

    held.title = "Winter meeting in Lisbon"
    held.save()
    assert "Winter meeting in Lisbon" in _past(member_client)

    held.state = MeetingState.CANCELLED
    held.save()
    assert "Cancelled" in _past(member_client)

    held.starts_at = timezone.now() - timedelta(days=400)
    held.save()
    assert re.search(r"Winter meeting in Lisbon.*?\d{4}", _past(member_client), flags=re.S)
    held.delete()
    assert "Winter meeting" not in _past(member_client)


def test_a_meeting_that_ends_moves_to_the_past_without_any_change(member_client):
    under_way = MeetingFactory(title="Meeting under way", starts_at=timezone.now() - timedelta(minutes=10))
    assert "Meeting under way" in _upcoming(member_client)
    assert "Meeting under way" not in _past(member_client)

    # Time passes: the meeting is over (a write that tells no one, as the clock would).
    Meeting.objects.filter(pk=under_way.pk).update(duration_minutes=5)

    assert "Meeting under way" not in _upcoming(member_client)
    assert "Meeting under way" in _past(member_client)


def test_members_and_facilitators_each_get_their_own_list(member_client, facilitator):
    draft_meeting(title="Draft never held", starts_at=timezone.now() - timedelta(days=3))
    assert "Draft never held" not in _past(member_client)

    member_client.force_login(facilitator)
    assert "Draft never held" in _past(member_client)


def test_a_language_and_a_page_each_keep_their_own_list(member_client):
    for n in range(13):
        past_meeting(title=f"Réunion {n:02d}", language="fr", starts_at=timezone.now() - timedelta(days=10 + n))
    past_meeting(title="English meeting", language="en", starts_at=timezone.now() - timedelta(days=5))

    assert "English meeting" in _past(member_client)
    french = _past(member_client, language="fr")
    assert "English meeting" not in french and "Réunion 00" in french and "Réunion 12" not in french
    assert "Réunion 12" in _past(member_client, language="fr", page=2)
    assert "Réunion 12" in _past(member_client, language="fr", page="9999")  # the last page, answered fresh
