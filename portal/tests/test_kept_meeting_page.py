"""A member's meeting page is kept rendered, and every change it shows is seen at once."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.tests.factories import OrganisationFactory, UserFactory
from guide.enums import ContributionState
from guide.tests.factories import ContributionFactory
from meetings.enums import RSVPResponse
from meetings.services import agenda_item_add, agenda_item_leads_set, agenda_item_move, resource_add, rsvp_set
from meetings.tests.factories import MeetingFactory, draft_meeting
from themes.enums import ThemeState
from themes.services.lifecycle import theme_transition
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(db):
    return MeetingFactory(title="Spring meeting")


@pytest.fixture
def page(member_client, meeting):
    def read(client=member_client) -> str:
        response = client.get(f"/meetings/{meeting.pk}/")
        assert response.status_code == 200
        return response.content.decode()

    return read


def test_a_second_view_reads_the_kept_page(page, meeting, facilitator):
    agenda_item_add(meeting=meeting, by=facilitator, title="Partners' day")
    first = page()

    with CaptureQueriesContext(connection) as kept:
        again = page()

    # The session's user and groups: nothing of the meeting.
    assert len(kept.captured_queries) == 2
    tokens = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')
    assert tokens.sub("", again) == tokens.sub("", first)
    assert "Partners&#x27; day" in again and "<title>Spring meeting" in again


def test_the_agenda_its_leads_order_and_resources_show_at_once(page, meeting, facilitator, member):
    first = agenda_item_add(meeting=meeting, by=facilitator, title="News of the centres")
    second = agenda_item_add(meeting=meeting, by=facilitator, title="Barriers and successes")
    rui = UserFactory(display_name="Rui Almeida")
    page()

    agenda_item_move(item=second, by=facilitator, direction="up")  # positions written in bulk
    html = page()
    assert html.index("Barriers and successes") < html.index("News of the centres")
    assert "Rui Almeida" not in page()
    agenda_item_leads_set(item_id=first.pk, leads=[rui])  # a many-to-many set
    assert "Rui Almeida" in page()
    resource_add(meeting=meeting, by=facilitator, title="Round cards", url="https://example.org/cards")
    assert "Round cards" in page()


def test_answers_are_each_members_own_and_counted_at_once(page, meeting, member):
    other = Client()
    other.force_login(UserFactory())
    page()

    rsvp_set(meeting=meeting, member=member, response=RSVPResponse.GOING)
    mine = page()
    theirs = page(other)
    assert "1 going" in mine and "1 going" in theirs
    assert 'aria-pressed="true"' in mine and 'aria-pressed="true"' not in theirs


def test_a_centre_a_theme_and_a_guide_entry_show_at_once(page, meeting, member, facilitator):
    centre = OrganisationFactory(name="Centro de Braga", short_name="Centre of Braga", slug="braga")
    lead = UserFactory(display_name="Rui Almeida", organisation=centre)
    item = agenda_item_add(meeting=meeting, by=facilitator, title="Hot news", leads=[lead])
    assert "Centre of Braga" in page() and item

    centre.short_name = "Centre of Braga and Minho"
    centre.save()
    assert "Centre of Braga and Minho" in page()
    theme = ThemeFactory(title="Gamified speed networking")
    theme_transition(theme=theme, to=ThemeState.SCHEDULED, by=facilitator, meeting=meeting)
    assert "Gamified speed networking" in page()
    ContributionFactory(
        title="Our partnership charter",
        state=ContributionState.PUBLISHED,
        published_at=timezone.now(),
        source_meeting=meeting,
    )
    assert "Our partnership charter" in page()


def test_each_browser_gets_its_own_form_token(member, meeting):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        client.force_login(member)
    first.get(f"/meetings/{meeting.pk}/")

    html = second.get(f"/meetings/{meeting.pk}/").content.decode()  # kept for the first browser
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = second.post(
        f"/meetings/{meeting.pk}/rsvp/",
        {"response": RSVPResponse.GOING, "csrfmiddlewaretoken": token, "next": f"/meetings/{meeting.pk}/"},
    )
    assert response.status_code == 302
    assert meeting.rsvps.get().member == member


def test_a_draft_stays_hidden_and_a_deleted_meeting_goes(member_client, meeting):
    draft = draft_meeting(starts_at=timezone.now() + timedelta(days=3))
    assert member_client.get(f"/meetings/{draft.pk}/").status_code == 404
    assert member_client.get(f"/meetings/{meeting.pk}/").status_code == 200

    meeting.delete()
    assert member_client.get(f"/meetings/{meeting.pk}/").status_code == 404
