from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from community.tests.factories import UserFactory
from meetings import ical, services
from meetings.enums import MeetingState, RSVPResponse
from meetings.models import CalendarFeed
from meetings.tests.factories import MeetingFactory, RSVPFactory, draft_meeting

pytestmark = pytest.mark.django_db


def events(content: bytes) -> list:
    return Calendar.from_ical(content).walk("VEVENT")


def test_meeting_ics_parses_with_utc_start_uid_and_sequence(member_client):
    meeting = MeetingFactory(
        title="March meeting",
        starts_at=datetime(2031, 3, 20, 13, 0, tzinfo=UTC),
        duration_minutes=90,
        online_url="https://meet.example.org/march",
        sequence=3,
    )
    response = member_client.get(reverse("meetings:ical", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{meeting.pk}.ics"'
    [event] = events(response.content)
    assert event.decoded("dtstart") == datetime(2031, 3, 20, 13, 0, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2031, 3, 20, 14, 30, tzinfo=UTC)
    assert str(event["uid"]) == f"meeting-{meeting.pk}@testserver"
    assert event.decoded("sequence") == 3
    assert str(event["summary"]) == "March meeting"
    assert str(event["status"]) == "CONFIRMED"
    assert "https://meet.example.org/march" in str(event["description"])
    assert str(event["location"]) == "https://meet.example.org/march"


def test_uid_is_stable_and_sequence_grows_across_reschedule_and_cancel(facilitator):
    meeting = MeetingFactory()
    [before] = events(ical.meeting_ics(meeting))
    services.meeting_reschedule(meeting=meeting, starts_at=meeting.starts_at + timedelta(days=2), by=facilitator)
    [moved] = events(ical.meeting_ics(meeting))
    services.meeting_cancel(meeting=meeting, reason="Clash with the forum.", by=facilitator)
    [cancelled] = events(ical.meeting_ics(meeting))
    assert str(before["uid"]) == str(moved["uid"]) == str(cancelled["uid"])
    assert [before.decoded("sequence"), moved.decoded("sequence"), cancelled.decoded("sequence")] == [0, 1, 2]
    assert moved.decoded("dtstart") == meeting.starts_at
    assert str(cancelled["status"]) == "CANCELLED"


def test_personal_feed_lists_exactly_the_meetings_the_member_is_going_to(client, member):
    going = MeetingFactory()
    going_past = MeetingFactory(starts_at=timezone.now() - timedelta(days=60))
    cancelled = MeetingFactory(state=MeetingState.CANCELLED, cancelled_at=timezone.now(), cancel_reason="x")
    maybe = MeetingFactory()
    waitlisted = MeetingFactory(capacity=1)
    other_people = MeetingFactory()
    hidden_draft = draft_meeting()
    for meeting in (going, going_past, cancelled, hidden_draft):
        RSVPFactory(meeting=meeting, member=member, response=RSVPResponse.GOING)
    RSVPFactory(meeting=maybe, member=member, response=RSVPResponse.MAYBE)
    RSVPFactory(meeting=waitlisted, response=RSVPResponse.GOING)
    RSVPFactory(meeting=waitlisted, member=member, response=RSVPResponse.WAITLISTED, waitlisted_at=timezone.now())
    RSVPFactory(meeting=other_people, member=UserFactory())
    feed = services.calendar_feed_get(member=member)

    response = client.get(reverse("meetings:feed", args=[feed.token]))

    assert response.status_code == 200
    uids = sorted(str(e["uid"]) for e in events(response.content))
    assert uids == sorted(f"meeting-{m.pk}@testserver" for m in (going, going_past, cancelled))
    statuses = {str(e["uid"]): str(e["status"]) for e in events(response.content)}
    assert statuses[f"meeting-{cancelled.pk}@testserver"] == "CANCELLED"


def test_unknown_or_regenerated_token_answers_404(client, member_client, member):
    feed = services.calendar_feed_get(member=member)
    old = feed.token
    assert client.get(reverse("meetings:feed", args=["not-a-token"])).status_code == 404
    response = member_client.post(reverse("meetings:feed_regenerate"), {"next": "/"})
    assert response.status_code == 302
    new = CalendarFeed.objects.get(member=member).token
    assert new != old
    assert client.get(reverse("meetings:feed", args=[old])).status_code == 404
    assert client.get(reverse("meetings:feed", args=[new])).status_code == 200


@pytest.mark.parametrize("token", ["%00", "a%00b", "x" * 65, "tok en", "ééé"])
def test_malformed_token_answers_404(client, member, token):
    services.calendar_feed_get(member=member)
    assert client.get(f"/meetings/calendar/{token}.ics").status_code == 404


def test_feed_of_a_suspended_member_answers_404(client):
    person = UserFactory(state="suspended")
    feed = services.calendar_feed_get(member=person)
    assert client.get(reverse("meetings:feed", args=[feed.token])).status_code == 404


def test_meetings_page_gives_the_member_their_feed_address(member_client, member):
    html = member_client.get(reverse("meetings:list")).content.decode()
    token = CalendarFeed.objects.get(member=member).token
    assert f'value="http://testserver/meetings/calendar/{token}.ics"' in html
