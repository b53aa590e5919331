"""The networking pages keep the same number of queries with few and many participants."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.tests.factories import UserFactory
from meetings.networking.models import NetworkingSession, SessionState

from .factories import MeetingFactory, going_members
from .pages import url, where

pytestmark = pytest.mark.django_db

ROLE_STATUS = {"visitor": 302, "pending": 302, "member": 404, "facilitator": 200, "editor": 404}


# ---------------------------------------------------------------------------
# Query counts: the same with few and many participants


def count_queries(client, path, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code == 200
    return len(queries)


def test_index_queries_do_not_grow_with_sessions_or_members(facilitator_client, make_session):
    small, large = MeetingFactory(), MeetingFactory()
    make_session(small, 1, state=SessionState.SETUP)
    for _ in range(10):
        make_session(large, 1, state=SessionState.SETUP)

    assert count_queries(facilitator_client, f"/meetings/{small.pk}/networking/") == count_queries(
        facilitator_client, f"/meetings/{large.pk}/networking/"
    )


@pytest.mark.parametrize("page", ["session", "edit"])
def test_set_up_pages_queries_same_with_1_and_10_participants(page, facilitator_client, make_session):
    one = make_session(MeetingFactory(), 1, state=SessionState.SETUP)
    ten = make_session(MeetingFactory(), 10, state=SessionState.SETUP)

    assert count_queries(facilitator_client, url(page, one)) == count_queries(facilitator_client, url(page, ten))


@pytest.mark.parametrize("state", [SessionState.READY, SessionState.LIVE, SessionState.FINISHED])
def test_drawn_session_page_queries_same_with_2_and_10_participants(state, facilitator_client, make_session):
    # A draw needs two people at least.
    two = make_session(MeetingFactory(), 2, rounds=3, state=state)
    ten = make_session(MeetingFactory(), 10, rounds=3, state=state)

    assert count_queries(facilitator_client, url("session", two)) == count_queries(
        facilitator_client, url("session", ten)
    )


@pytest.mark.parametrize("screen", ["live", "presenter"])
@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_live_screens_queries_same_with_2_and_10_participants(screen, headers, facilitator_client, make_session):
    two = make_session(MeetingFactory(), 2, state=SessionState.LIVE)
    ten = make_session(MeetingFactory(), 10, state=SessionState.LIVE)

    assert count_queries(facilitator_client, url(screen, two), **headers) == count_queries(
        facilitator_client, url(screen, ten), **headers
    )


def test_the_projected_screen_has_no_controls_and_the_presenter_view_has_them(
    facilitator_client, meeting, make_session
):
    session = make_session(meeting, 6, rounds=2, state=SessionState.LIVE)
    control = f'action="{url("control", session)}"'

    projected = facilitator_client.get(url("live", session)).content.decode()
    presenter = facilitator_client.get(url("presenter", session)).content.decode()

    assert (control in projected, '<button type="submit"' in projected) == (False, False)
    assert control in presenter
    for action in ("previous", "pause", "next", "finish"):
        assert f'value="{action}"' in presenter


def test_a_control_sent_without_script_comes_back_to_the_presenter_view(facilitator_client, meeting, make_session):
    session = make_session(meeting, 4, rounds=2, state=SessionState.LIVE)

    assert where(facilitator_client.post(url("control", session), {"action": "next"})) == url("presenter", session)
    assert where(facilitator_client.post(url("control", session), {"action": "next"})) == url("presenter", session)


@pytest.mark.parametrize("screen", ["live", "presenter", "me"])
def test_the_ticking_countdown_is_never_inside_a_live_region(screen, client, facilitator, meeting, make_session):
    session = make_session(meeting, 4, rounds=2, state=SessionState.LIVE)
    client.force_login(session.members[0] if screen == "me" else facilitator)

    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        html = client.get(url(screen, session), **headers).content.decode()
        assert 'role="timer" aria-live="off"' in html
        # The one live region is the status line outside the refreshed board, which the script fills.
        assert html.count('aria-live="polite"') == (0 if headers else 1)


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_participant_page_queries_same_with_2_and_10_participants(headers, client, make_session):
    two = make_session(MeetingFactory(), 2, table_size=2, state=SessionState.FINISHED)
    ten = make_session(MeetingFactory(), 10, table_size=4, state=SessionState.FINISHED)

    client.force_login(two.members[0])
    small = count_queries(client, url("me", two), **headers)
    client.force_login(ten.members[0])
    large = count_queries(client, url("me", ten), **headers)
    assert small == large


def test_set_up_cannot_change_once_live(facilitator_client, meeting, make_session):
    session = make_session(meeting, 4, rounds=2, state=SessionState.LIVE)

    response = facilitator_client.post(
        url("edit", session), {"table_size": "2", "rounds": "5", "round_minutes": "5", "prompts": "x"}
    )

    session.refresh_from_db()
    assert where(response) == url("session", session)
    assert (session.rounds, session.state) == (2, SessionState.LIVE)


def test_live_screen_of_a_session_not_drawn_answers_404(facilitator_client, meeting, make_session):
    session = make_session(meeting, 4, state=SessionState.SETUP)

    assert facilitator_client.get(url("live", session)).status_code == 404


def test_screens_stop_polling_once_the_session_is_finished(facilitator_client, meeting, make_session):
    live = make_session(meeting, 4, rounds=2, state=SessionState.LIVE)
    assert 'hx-trigger="every 3s"' in facilitator_client.get(url("live", live), HTTP_HX_REQUEST="true").content.decode()

    live.state = SessionState.FINISHED
    live.save(update_fields=["state"])

    assert "hx-trigger" not in facilitator_client.get(url("live", live), HTTP_HX_REQUEST="true").content.decode()


def test_set_up_lists_the_members_going_and_finds_the_others(facilitator_client, meeting):
    going = going_members(meeting, 2)
    UserFactory(display_name="Zoe Elsewhere")
    UserFactory(display_name="Yann Elsewhere")

    page = facilitator_client.get(f"/meetings/{meeting.pk}/networking/")
    listed = [value for value, _label in page.context["form"].fields["members"].widget.choices]
    assert sorted(listed) == sorted(m.pk for m in going)
    assert "Zoe Elsewhere" not in page.content.decode()

    found = facilitator_client.post(
        f"/meetings/{meeting.pk}/networking/",
        {"members": [going[0].pk], "find": "zoe", "find_members": "1", "rounds": "5", "prompts": "A card"},
    )
    form = found.context["form"]
    names = [label for _value, label in form.fields["members"].widget.choices]
    assert found.status_code == 200
    assert "Zoe Elsewhere" in names
    assert "Yann Elsewhere" not in names
    assert (form.initial["members"], form.initial["rounds"], form.initial["prompts"]) == (
        [str(going[0].pk)],
        "5",
        "A card",
    )
    assert NetworkingSession.objects.count() == 0
