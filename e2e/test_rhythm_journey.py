"""A meeting's rhythm in the browser: published and announced, joined, followed up with minutes and
an action its owner ticks done on the dashboard."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from community.enums import FACILITATORS_GROUP, GUIDE_EDITORS_GROUP
from community.tests.factories import UserFactory, facilitator
from e2e.conftest import sign_in
from meetings.models import ActionItem, Meeting
from meetings.tests.factories import AgendaItemFactory, draft_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
ROOM = "https://meet.example.org/spring-room"


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    """Tests with real transactions flush the database, groups from data migrations included."""
    for name in (FACILITATORS_GROUP, GUIDE_EDITORS_GROUP):
        Group.objects.get_or_create(name=name)


def clock_moves_to(meeting, starts_in: timedelta) -> None:
    """Time passes: the meeting is now ``starts_in`` away (negative: under way or over)."""
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + starts_in)


def test_published_meeting_is_announced_joined_and_followed_up_with_an_owned_action(page, new_page):
    host = facilitator(display_name="Fatou Diallo", email="fatou@example.org", meeting_news_frequency="never")
    mariana = UserFactory(display_name="Mariana Costa", email="mariana@example.org", time_zone="Europe/Lisbon")
    meeting = draft_meeting(
        title="Spring meeting", starts_at=timezone.now() + timedelta(hours=3), online_url=ROOM, created_by=host
    )
    AgendaItemFactory(meeting=meeting, title="Partners' day", position=0)

    # The facilitator publishes: Mariana is announced the meeting, with her one-click answers.
    sign_in(page, host.email, PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("The meeting is published").wait_for()
    [announcement] = [m for m in mail.outbox if m.to == [mariana.email]]
    assert announcement.subject == "New meeting: Spring meeting"
    assert "/going/" in announcement.body and "(Europe/Lisbon)" in announcement.body
    assert [name for name, _content, _type in announcement.attachments] == ["meeting.ics"]

    # Mariana answers from her dashboard; the Join button waits for 15 minutes before the start.
    member = new_page()
    sign_in(member, mariana.email, PASSWORD)
    member.goto("/")
    member.locator(".meeting-panel").get_by_role("button", name="Going", exact=True).click()
    member.get_by_text("You are going. See you there!").wait_for()
    assert member.get_by_role("link", name="Join the meeting").count() == 0
    clock_moves_to(meeting, timedelta(minutes=14))
    member.goto("/")
    join = member.locator(".meeting-panel").get_by_role("link", name="Join the meeting")
    assert join.get_attribute("href") == ROOM
    member.goto(f"/meetings/{meeting.pk}/")
    assert member.get_by_role("link", name="Join the meeting").get_attribute("href") == ROOM

    # After the meeting, the facilitator writes the minutes and an action owned by Mariana, due in a week.
    clock_moves_to(meeting, -timedelta(hours=3))
    mail.outbox.clear()
    due = date.today() + timedelta(days=7)
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    page.get_by_label("Minutes").first.fill("We chose **one date** for the partners' day.")
    page.get_by_label("Action", exact=True).first.fill("Send the partners' survey")
    page.get_by_label("Owner").first.select_option(label="Mariana Costa")
    page.get_by_label("Due date").first.fill(due.isoformat())
    page.get_by_role("button", name="Save and publish").click()
    page.get_by_text("Minutes saved and published.").wait_for()
    page.locator("#actions", has_text="Send the partners' survey").wait_for()
    [summary] = [m for m in mail.outbox if m.to == [mariana.email]]
    assert summary.subject == "After the meeting: Spring meeting"
    assert "Send the partners' survey — Mariana Costa" in summary.body
    assert "We chose **one date** for the partners' day." in summary.body

    # Mariana finds the action on her dashboard and ticks it done.
    member.goto("/")
    panel = member.locator(".actions-panel")
    panel.get_by_text("Send the partners' survey").wait_for()
    panel.get_by_role("button", name=re.compile("Tick .Send the partners' survey. done")).click()
    member.get_by_text("Action ticked done.").wait_for()
    assert member.locator(".actions-panel").count() == 0
    action = ActionItem.objects.get()
    assert (action.owner, action.due_on, action.done_by, action.done_at is not None) == (mariana, due, mariana, True)
