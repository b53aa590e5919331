"""The live speed-networking screens at a projector's size (1024 × 768): the projected one fits
the window with large names and nothing to click, the presenter view shows every control at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.tests import factories
from e2e.conftest import sign_in
from meetings.networking import services
from meetings.networking.models import SessionState
from meetings.networking.tests.factories import MeetingFactory, going_members

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
PROJECTOR = {"width": 1024, "height": 768}

OVERFLOW = """() => {
  const root = document.documentElement;
  return {wide: root.scrollWidth - root.clientWidth, tall: root.scrollHeight - root.clientHeight};
}"""


def _live_session(facilitator, count: int, table_size: int):
    meeting = MeetingFactory(title="Réunion du réseau à Porto")
    members = going_members(meeting, count, centres=count // 2)
    # Long names and centres, as the network's are.
    members[0].display_name = "Maria da Conceição Albuquerque-Vasconcelos"
    members[0].save(update_fields=["display_name"])
    session = services.session_create(
        meeting=meeting,
        by=facilitator,
        members=members,
        table_size=table_size,
        rounds=4,
        round_minutes=5,
        prompts=["Which partner of yours would the other centre like to meet, and why?"],
    )
    services.session_draw(session=session, by=facilitator, seed=1)
    services.session_transition(session=session, to=SessionState.LIVE, by=facilitator)
    return session


# The fewer the people, the larger their names: 8 in pairs measure 39 px here, 40 at tables of 4, 18 px.
@pytest.mark.parametrize(("count", "table_size", "least"), [(8, 2, 34), (16, 2, 24), (18, 3, 24), (40, 4, 16)])
def test_the_projected_screen_fits_a_projector_with_names_readable_from_the_back(page, count, table_size, least):
    facilitator = factories.facilitator()
    session = _live_session(facilitator, count, table_size)
    page.set_viewport_size(PROJECTOR)
    sign_in(page, facilitator.email, PASSWORD)

    page.goto(f"/meetings/{session.meeting_id}/networking/{session.pk}/live/")
    page.get_by_role("heading", name="Round 1 of 4").wait_for()

    assert page.evaluate(OVERFLOW) == {"wide": 0, "tall": 0}
    tables = page.locator("[data-fit]")
    assert tables.evaluate("(box) => box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth")
    # The tables use the whole width of the screen.
    box = tables.bounding_box()
    assert box["width"] >= 0.9 * PROJECTOR["width"]
    # Names as large as the screen allows, to read across a room.
    name_size = page.locator(".networking-person").first.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
    assert name_size >= least, name_size
    # Nothing to click on the screen the room sees but the full-screen button.
    assert page.get_by_role("button").all_inner_texts() == ["Full screen"]
    assert page.locator("form").count() == 0


@pytest.mark.parametrize(("count", "table_size"), [(8, 2), (40, 4)])
def test_the_presenter_view_shows_every_control_at_a_projectors_size(page, count, table_size):
    facilitator = factories.facilitator()
    session = _live_session(facilitator, count, table_size)
    page.set_viewport_size(PROJECTOR)
    sign_in(page, facilitator.email, PASSWORD)

    page.goto(f"/meetings/{session.meeting_id}/networking/{session.pk}/presenter/")
    page.get_by_role("heading", name="Round 1 of 4").wait_for()

    assert page.evaluate(OVERFLOW)["wide"] == 0
    for name in ("Previous round", "Pause", "Next round", "Finish the session"):
        button = page.get_by_role("button", name=name)
        assert button.is_visible(), name
        box = button.bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0, name
        assert box["x"] + box["width"] <= PROJECTOR["width"] and box["y"] + box["height"] <= PROJECTOR["height"], name


def test_time_up_is_shown_and_said_once_without_reading_out_the_seconds(page):
    facilitator = factories.facilitator()
    session = _live_session(facilitator, 8, 2)
    # Two seconds left in round 1.
    session.refresh_from_db()
    session.round_started_at = timezone.now() - timedelta(seconds=session.round_seconds - 2)
    session.save(update_fields=["round_started_at"])
    page.set_viewport_size(PROJECTOR)
    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"/meetings/{session.meeting_id}/networking/{session.pk}/live/")
    announcer = page.locator("[data-networking-announcer]")
    assert announcer.inner_text() == ""

    page.locator("[data-time-up-label]").get_by_text("Time is up.").wait_for(timeout=6_000)
    page.wait_for_function("() => document.querySelector('[data-networking-announcer]').textContent === 'Time is up.'")
    assert page.get_by_role("timer").inner_text() == "00:00"
    # The next refresh of the board does not say it again.
    said = []
    page.expose_function("heard", lambda text: said.append(text))
    page.evaluate("""() => {
        const status = document.querySelector('[data-networking-announcer]');
        new MutationObserver(() => window.heard(status.textContent))
            .observe(status, {childList: true, characterData: true, subtree: true});
    }""")
    page.wait_for_timeout(4_000)
    assert said == []


def test_a_keyboard_user_keeps_the_focus_on_a_control_while_the_presenter_view_refreshes(page):
    facilitator = factories.facilitator()
    session = _live_session(facilitator, 8, 2)
    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"/meetings/{session.meeting_id}/networking/{session.pk}/presenter/")

    page.get_by_role("button", name="Next round").focus()
    with page.expect_response(lambda response: "/presenter/" in response.url and response.request.method == "GET"):
        pass
    page.wait_for_timeout(200)
    assert page.evaluate("() => document.activeElement.id") == "control-next"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Round 2 of 4").wait_for()
    assert page.evaluate("() => document.activeElement.id") == "control-next"
