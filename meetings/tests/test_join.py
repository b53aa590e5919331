"""The "Join the meeting" button: from 15 minutes before the start to the end, for those who may
see the meeting, never without an online link."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.enums import MeetingState
from meetings.rules import join_open_at
from meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

BUTTON = "Join the meeting"


def starting_in(minutes: float, **kwargs):
    return MeetingFactory(starts_at=timezone.now() + timedelta(minutes=minutes), duration_minutes=120, **kwargs)


def test_join_opens_fifteen_minutes_before_and_closes_at_the_end():
    meeting = starting_in(60)
    start = meeting.starts_at
    assert [
        join_open_at(meeting, now)
        for now in (
            start - timedelta(minutes=15, seconds=1),
            start - timedelta(minutes=15),
            start + timedelta(minutes=119),
            start + timedelta(minutes=120),
        )
    ] == [False, True, True, False]


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [(30, False), (10, True), (-60, True), (-130, False)],
)
def test_meeting_page_and_dashboard_show_the_button_only_in_its_window(member_client, minutes, shown):
    meeting = starting_in(minutes, online_url="https://meet.example.org/room")
    page = member_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    dashboard = member_client.get("/").content.decode()
    assert (BUTTON in page, BUTTON in dashboard) == (shown, shown)
    if shown:
        assert 'href="https://meet.example.org/room"' in page


def test_no_button_without_an_online_link(member_client):
    meeting = starting_in(5, online_url="", place="Porto")
    assert BUTTON not in member_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert BUTTON not in member_client.get("/").content.decode()


def test_no_button_for_a_cancelled_meeting_and_a_draft_stays_hidden(client_for):
    cancelled = starting_in(5, state=MeetingState.CANCELLED)
    draft = starting_in(5, state=MeetingState.DRAFT)
    member = client_for("member")
    assert BUTTON not in member.get(reverse("meetings:detail", args=[cancelled.pk])).content.decode()
    assert member.get(reverse("meetings:detail", args=[draft.pk])).status_code == 404
