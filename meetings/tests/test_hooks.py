import io
import itertools
from datetime import UTC, datetime, timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from community.tests.factories import UserFactory
from meetings import hooks, services, slots
from meetings.enums import AgendaKind, MeetingState, RSVPResponse
from meetings.models import RSVP, AgendaItem, Attendance, Meeting, Minutes, Resource
from meetings.tests.factories import MeetingFactory, ResourceFactory, RSVPFactory, past_meeting
from meetings.tests.sample_extension import hooks as sample

pytestmark = pytest.mark.django_db


def test_dashboard_shows_next_meeting_with_rsvp_buttons(member_client, member):
    MeetingFactory(title="Later meeting", starts_at=timezone.now() + timedelta(days=60))
    soon = MeetingFactory(title="Soon meeting", starts_at=timezone.now() + timedelta(days=5))
    html = member_client.get("/").content.decode()
    assert "Soon meeting" in html
    assert "Later meeting" not in html
    assert f'action="{reverse("meetings:rsvp", args=[soon.pk])}"' in html

    response = member_client.post(reverse("meetings:rsvp", args=[soon.pk]), {"response": "going", "next": "/"})
    assert response["Location"] == "/"
    assert RSVP.objects.get(member=member).response == RSVPResponse.GOING


def test_dashboard_empty_state(member_client):
    assert "No meeting is scheduled yet." in member_client.get("/").content.decode()


def test_profile_section_lists_attended_meetings_and_own_feed(member, facilitator):
    attended = past_meeting(title="Spring meeting")
    Attendance.objects.create(meeting=attended, member=member)
    past_meeting(title="Missed meeting")
    [own] = hooks.profile_sections(member, member)
    [seen_by_other] = hooks.profile_sections(member, facilitator)
    assert [m.title for m in own["attended"]] == ["Spring meeting"]
    assert own["feed_url"] == f"http://testserver/meetings/calendar/{member.calendar_feed.token}.ics"
    assert seen_by_other["feed_url"] is None
    request = RequestFactory().get("/members/me/")
    request.user = member
    html = render_to_string(own["template"], {"section": own, "request": request})
    assert "Spring meeting" in html
    assert member.calendar_feed.token in html
    assert reverse("meetings:feed_regenerate") in html


def test_export_includes_rsvps_attendance_and_resources(member):
    meeting = past_meeting(title="Autumn meeting", starts_at=datetime(2025, 10, 15, 12, 0, tzinfo=UTC))
    RSVPFactory(meeting=meeting, member=member)
    Attendance.objects.create(meeting=meeting, member=member)
    ResourceFactory(meeting=meeting, added_by=member, title="Charter", url="https://example.org/c")
    data = hooks.export_personal_data(member)["meetings"]
    assert [(r["meeting"], r["response"]) for r in data["rsvps"]] == [("Autumn meeting", "going")]
    assert data["attendance"] == [{"meeting": "Autumn meeting", "starts_at": "2025-10-15T12:00:00+00:00"}]
    assert [(r["title"], r["url"]) for r in data["resources"]] == [("Charter", "https://example.org/c")]


def test_erase_keeps_resources_and_minutes_credited_to_a_former_member(member, facilitator):
    meeting = past_meeting()
    item = AgendaItem.objects.create(meeting=meeting, kind=AgendaKind.HOT_NEWS, title="Hot news")
    services.minutes_save(item=item, text="Notes by the member.", by=member)
    resource = ResourceFactory(meeting=meeting, added_by=member, title="Kept tool")
    Attendance.objects.create(meeting=meeting, member=member)

    services.member_data_erase(member=member)
    member.delete()

    resource.refresh_from_db()
    assert resource.added_by is None
    minutes = Minutes.objects.get(agenda_item=item)
    assert (minutes.text, minutes.updated_by) == ("Notes by the member.", None)
    assert list(minutes.history.values_list("history_user", "updated_by")) == [(None, None)]
    assert Attendance.objects.count() == 0
    from django.test import Client

    client = Client()
    client.force_login(facilitator)
    html = client.get(reverse("meetings:minutes_history", args=[meeting.pk])).content.decode()
    assert "a former member" in html


def test_erase_frees_the_place_for_the_waiting_list(member):
    meeting = MeetingFactory(capacity=1)
    services.rsvp_set(meeting=meeting, member=member, response=RSVPResponse.GOING)
    waiting = UserFactory()
    services.rsvp_set(meeting=meeting, member=waiting, response=RSVPResponse.WAITLISTED)
    services.member_data_erase(member=member)
    assert list(RSVP.objects.values_list("member_id", "response")) == [(waiting.pk, RSVPResponse.GOING)]


def test_search_finds_meetings_and_resources_but_not_drafts_for_members(member, facilitator):
    MeetingFactory(title="GDPR special meeting")
    MeetingFactory(title="GDPR draft", state=MeetingState.DRAFT)
    ResourceFactory(title="GDPR checklist")
    assert sorted(r["title"] for r in hooks.search("gdpr", member)) == ["GDPR checklist", "GDPR special meeting"]
    assert sorted(r["title"] for r in hooks.search("gdpr", facilitator)) == [
        "GDPR checklist",
        "GDPR draft",
        "GDPR special meeting",
    ]


def test_seed_demo_every_two_months_since_october_2020_and_idempotent():
    UserFactory.create_batch(12)
    UserFactory(groups=["Facilitators"])
    hooks.seed_demo(io.StringIO())
    counts = (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        RSVP.objects.count(),
        Attendance.objects.count(),
        Minutes.objects.count(),
        Resource.objects.count(),
    )
    hooks.seed_demo(io.StringIO())
    assert (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        RSVP.objects.count(),
        Attendance.objects.count(),
        Minutes.objects.count(),
        Resource.objects.count(),
    ) == counts

    meetings = list(Meeting.objects.order_by("starts_at"))
    first = meetings[0].starts_at.astimezone(timezone.get_fixed_timezone(120))
    assert (first.year, first.month, first.day, first.hour) == (2020, 10, 15, 14)
    now = timezone.now()
    assert meetings[-1].starts_at > now
    assert meetings[-2].starts_at <= now
    months = [(m.starts_at.year * 12 + m.starts_at.month) for m in meetings]
    assert {b - a for a, b in itertools.pairwise(months)} == {2}
    past = [m for m in meetings if m.starts_at < now]
    assert all(m.minutes_published_at is not None for m in past)
    assert Attendance.objects.filter(meeting=past[0]).exists()
    assert Minutes.objects.filter(agenda_item__meeting=past[0]).count() == 4
    assert Minutes.history.count() == Minutes.objects.count()
    assert Resource.objects.count() > 0
    assert AgendaItem.objects.filter(meeting=meetings[-1]).count() == 4


def test_meeting_page_renders_sections_from_other_apps(member_client, member, monkeypatch):
    # What portal.composition hands the page at start-up, plus a sample section of our own.
    composed = slots.meeting_sections
    monkeypatch.setattr(slots, "meeting_sections", lambda m, v: [*composed(m, v), *sample.meeting_sections(m, v)])
    meeting = MeetingFactory(title="June meeting")
    html = member_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f"<section class='sample-section'>Themes chosen by {member.display_name} for June meeting</section>" in html


def test_seed_demo_leaves_slots_that_already_hold_a_meeting():
    from meetings.seed import slot_starts

    next_slot = slot_starts(timezone.now())[-1]
    own = MeetingFactory(title="Our real next meeting", starts_at=next_slot + timedelta(days=3))
    hooks.seed_demo(io.StringIO())
    upcoming = Meeting.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at")
    assert list(upcoming) == [own]
