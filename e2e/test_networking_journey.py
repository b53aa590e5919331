import re

import pytest

from community.tests import factories
from e2e.conftest import sign_in
from meetings.networking.models import NetworkingSession, Seat
from meetings.networking.tests.factories import MeetingFactory, going_members

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def table_of(session, member, round_number):
    seat = Seat.objects.get(session=session, participant__member=member, round_number=round_number)
    mates = Seat.objects.filter(session=session, round_number=round_number, table_number=seat.table_number).exclude(
        participant__member=member
    )
    return seat.table_number, sorted(s.participant.member.display_name for s in mates)


def test_facilitator_draws_runs_rounds_and_a_participant_follows_their_table(page, new_page, live_server):
    facilitator = factories.facilitator(display_name="Fatou Diallo")
    meeting = MeetingFactory(title="Lisbon meeting")
    members = going_members(meeting, 8, centres=4)
    participant = members[0]

    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/networking/")
    page.get_by_role("heading", name="Set up a session").wait_for()
    assert page.locator("input[name=members]:checked").count() == 8
    page.get_by_label("Number of rounds").fill("4")
    page.get_by_role("button", name="Set up the session").click()

    page.get_by_role("button", name="Draw the rounds").click()
    page.get_by_text(re.compile("Rounds drawn: 0 repeated meetings, 0 same-centre pairs")).wait_for()
    assert page.locator("[data-quality=repeats]").inner_text() == "0"
    session = NetworkingSession.objects.get(meeting=meeting)
    assert Seat.objects.filter(session=session).count() == 32

    # The room sees the projected screen, with nothing to click; the facilitator drives it from
    # the presenter view.
    room = new_page()
    sign_in(room, facilitator.email, PASSWORD)
    room.goto(f"/meetings/{meeting.pk}/networking/{session.pk}/live/")
    room.get_by_text("4 rounds, ready to start.").wait_for()
    page.get_by_role("link", name="Open the presenter view").click()
    page.get_by_role("button", name="Start round 1").click()
    page.get_by_role("heading", name="Round 1 of 4").wait_for()
    assert page.get_by_role("timer").inner_text() in ("05:00", "04:59", "04:58", "06:00", "05:59", "05:58")
    room.get_by_role("heading", name="Round 1 of 4").wait_for(timeout=10_000)
    assert room.locator(".networking-table").count() == 4
    assert room.get_by_role("button").all_inner_texts() == ["Full screen"]

    other = new_page()
    sign_in(other, participant.email, PASSWORD)
    other.goto(f"/meetings/{meeting.pk}/networking/{session.pk}/me/")
    number, mates = table_of(session, participant, 1)
    other.get_by_text(f"Your table this round: table {number}").wait_for()
    assert other.get_by_role("list", name="At your table").inner_text().split(" (")[0] == mates[0]

    page.get_by_role("button", name="Next round").click()
    page.get_by_role("heading", name="Round 2 of 4").wait_for()
    room.get_by_role("heading", name="Round 2 of 4").wait_for(timeout=10_000)

    # The participant's page follows without a reload.
    number, mates = table_of(session, participant, 2)
    other.get_by_role("heading", name="Round 2 of 4").wait_for(timeout=10_000)
    other.get_by_text(f"Your table this round: table {number}", exact=True).wait_for()
    # Screen readers are told the new round and table once, politely; the ticking clock is not a live region.
    status = other.get_by_role("status")
    assert status.get_attribute("aria-live") == "polite"
    other.wait_for_function(
        "(text) => document.querySelector('[data-networking-announcer]').textContent === text",
        arg=f"Round 2 of 4. Your table this round: table {number}",
    )
    assert other.locator("[aria-live=polite] [role=timer], [role=timer][aria-live=polite]").count() == 0
    assert other.get_by_role("list", name="At your table").inner_text().split(" (")[0] == mates[0]

    # Finishing asks first; saying no leaves the session running.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Finish the session").click()
    page.wait_for_timeout(1_000)
    session.refresh_from_db()
    assert session.state == "live"
    page.get_by_role("heading", name="Round 2 of 4").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Finish the session").click()
    page.get_by_text("Session finished: who met whom is saved.").wait_for()
    session.refresh_from_db()
    assert session.state == "finished"


def _drop_refreshes(route):
    """Let the screen's controls through but not its periodic refresh."""
    if route.request.method == "GET" and route.request.headers.get("hx-request"):
        route.abort()
    else:
        route.continue_()


def test_a_control_refused_on_a_stale_screen_says_why(page, new_page, live_server):
    facilitator = factories.facilitator()
    meeting = MeetingFactory(title="Porto meeting")
    going_members(meeting, 4, centres=2)
    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/networking/")
    page.get_by_label("Number of rounds").fill("2")
    page.get_by_role("button", name="Set up the session").click()
    page.get_by_role("button", name="Draw the rounds").click()
    page.get_by_role("link", name="Open the presenter view").click()
    page.get_by_role("button", name="Start round 1").click()
    page.get_by_role("heading", name="Round 1 of 2").wait_for()

    # A second screen still shows round 1 when the first one moves on to the last round.
    other = new_page()
    sign_in(other, facilitator.email, PASSWORD)
    other.goto(page.url)
    other.get_by_role("heading", name="Round 1 of 2").wait_for()
    # The second screen misses its refreshes (a slow network), so it is still stale when clicked.
    other.route(re.compile(r".*/presenter/$"), _drop_refreshes)
    page.get_by_role("button", name="Next round").click()
    page.get_by_role("heading", name="Round 2 of 2").wait_for()
    other.get_by_role("button", name="Next round").click()
    other.unroute(re.compile(r".*/presenter/$"), _drop_refreshes)
    other.get_by_text("This is the last round.").wait_for()
    other.get_by_role("heading", name="Round 2 of 2").wait_for()
