"""The list of past meetings is kept rendered, and what it shows is current at once."""

import re
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.tests.factories import UserFactory
from meetings.enums import MeetingState
from meetings.tests.factories import MeetingFactory, draft_meeting, past_meeting

pytestmark = pytest.mark.django_db

URL = "/meetings/"
TOKEN = r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"'


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

    assert re.sub(TOKEN, "", again) == re.sub(TOKEN, "", first) and "Held meeting 2" in again
    # The member's list is kept: the session's user and groups only.
    assert len(kept.captured_queries) == 2


def test_another_member_reads_the_kept_past_meetings(member_client):
    past_meeting(title="Held meeting")
    _past(member_client)
    other = Client()
    other.force_login(UserFactory())

    with CaptureQueriesContext(connection) as listed:
        page = _past(other)

    # The user, the groups, the meetings to come with the answers, the calendar feed (made on first
    # view, then read again): the past meetings come kept.
    assert "Held meeting" in page
    assert not any('ORDER BY "meetings_meeting"."starts_at" DESC' in q["sql"] for q in listed.captured_queries)


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


def test_a_meeting_that_ends_moves_to_the_past_at_its_end(member_client):
    # A meeting of ten minutes that ends in a second and a half: the lists kept change then.
    starts = timezone.now() - timedelta(minutes=10) + timedelta(seconds=1.5)
    MeetingFactory(title="Meeting under way", starts_at=starts, duration_minutes=10)
    assert "Meeting under way" in _upcoming(member_client)
    assert "Meeting under way" not in _past(member_client)

    time.sleep(max(0.0, (starts + timedelta(minutes=10) - timezone.now()).total_seconds()) + 0.2)

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
