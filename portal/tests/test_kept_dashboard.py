"""A member's dashboard is kept rendered, and every change it shows is seen at once."""

import re
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import services as community_services
from community.fragments import MEMBER_PAGES, cached_under
from community.tests.factories import UserFactory, pending_member
from guide.enums import ContributionState
from guide.tests.factories import ContributionFactory
from meetings.enums import RSVPResponse
from meetings.rules import JOIN_OPENS_BEFORE
from meetings.services import ActionChange, actions_save, rsvp_set
from meetings.tests.factories import MeetingFactory, past_meeting
from portal import composition
from themes.services.lifecycle import theme_set_interest
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dashboard(member_client):
    def read(client=member_client) -> str:
        response = client.get("/")
        assert response.status_code == 200
        return response.content.decode()

    return read


def test_a_second_view_reads_the_kept_panels(dashboard, member_client):
    MeetingFactory(title="Spring meeting")
    ThemeFactory(title="Gamified speed networking")
    first = dashboard()

    with CaptureQueriesContext(connection) as kept:
        again = dashboard()

    assert [q["sql"].split(" FROM ")[1].split()[0] for q in kept.captured_queries] == [
        '"community_user"',
        '"auth_group"',
    ]
    tokens = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')
    assert tokens.sub("", again) == tokens.sub("", first)
    assert "Spring meeting" in again and "Gamified speed networking" in again


def test_answers_actions_interest_and_entries_show_at_once(dashboard, member, facilitator):
    meeting = MeetingFactory(title="Spring meeting", capacity=1)
    held = past_meeting(title="Winter meeting")
    theme = ThemeFactory(title="Gamified speed networking")
    dashboard()

    rsvp_set(meeting=meeting, member=member, response=RSVPResponse.GOING)
    page = dashboard()
    assert 'aria-pressed="true"' in page  # her answer
    actions_save(
        meeting=held,
        changes=[ActionChange(pk=None, text="Send the toolkit", owner_id=member.pk, due_on=None)],
        by=facilitator,
    )
    assert "Send the toolkit" in dashboard()  # written in bulk
    theme_set_interest(theme=theme, member=UserFactory(), interested=True)
    assert "1 interested" in dashboard()  # a count kept in a column
    ContributionFactory(title="Our partnership charter", state=ContributionState.PUBLISHED, published_at=timezone.now())
    assert "Our partnership charter" in dashboard()


def test_a_buddy_a_new_meeting_and_a_renamed_one_show_at_once(dashboard, member, facilitator):
    member.state_changed_at = timezone.now()
    member.save()
    dashboard()

    buddy = UserFactory(display_name="Rui Almeida")
    community_services.buddy_pair(newcomer=member, buddy=buddy, by=facilitator)
    assert "Rui Almeida" in dashboard()
    meeting = MeetingFactory(title="Spring meeting")
    assert "Spring meeting" in dashboard()
    meeting.title = "Spring meeting in Porto"
    meeting.save()
    assert "Spring meeting in Porto" in dashboard()


def test_each_browser_gets_its_own_form_token(member):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    meeting = MeetingFactory(title="Spring meeting")
    for client in (first, second):
        client.force_login(member)
    first.get("/")

    page = second.get("/").content.decode()  # the panels kept for the first browser
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = second.post(
        f"/meetings/{meeting.pk}/rsvp/", {"response": RSVPResponse.GOING, "csrfmiddlewaretoken": token, "next": "/"}
    )
    assert response.status_code == 302
    assert meeting.rsvps.get().member == member


def test_facilitators_see_each_sign_up_at_once(facilitator_client):
    assert "sign-up waits" not in facilitator_client.get("/").content.decode()
    pending_member()
    assert "1 sign-up waits for your approval" in facilitator_client.get("/").content.decode()


def test_the_next_meeting_panel_names_when_the_clock_changes_it(member):
    now = timezone.now()
    meeting = MeetingFactory(starts_at=now + timedelta(minutes=20))
    panel = next(p for p in composition.dashboard_panels(member) if p.get("meeting"))
    assert panel["meeting"] == meeting
    assert abs(panel["changes_at"] - (meeting.starts_at - JOIN_OPENS_BEFORE)) < timedelta(seconds=1)


def test_a_kept_fragment_is_rendered_again_once_its_moment_passes():
    rendered = []

    def render():
        rendered.append(1)
        return f"version {len(rendered)}", time.time() + 0.3

    assert cached_under((MEMBER_PAGES,), "test:moment", render) == "version 1"
    assert cached_under((MEMBER_PAGES,), "test:moment", render) == "version 1"
    time.sleep(0.4)
    assert cached_under((MEMBER_PAGES,), "test:moment", render) == "version 2"
    MEMBER_PAGES.changed()
    assert cached_under((MEMBER_PAGES,), "test:moment", render) == "version 3"
