import pytest
from django.template.loader import render_to_string

from community.tests.factories import UserFactory
from meetings.networking import hooks
from meetings.networking.models import SessionState

pytestmark = pytest.mark.django_db


def render_sections(sections, **context):
    return "".join(render_to_string(s["template"], {"panel": s, **context}) for s in sections)


def test_dashboard_links_a_participant_to_their_table_while_live(meeting, make_session):
    session = make_session(meeting, 4, state=SessionState.LIVE)
    me = session.members[0]

    panels = hooks.dashboard_panels(me)

    assert [p["sessions"] for p in panels] == [[session]]
    html = render_sections(panels)
    assert f'href="/meetings/{meeting.pk}/networking/{session.pk}/me/"' in html
    assert hooks.dashboard_panels(UserFactory()) == []


def test_dashboard_says_nothing_before_the_session_starts(meeting, make_session):
    session = make_session(meeting, 4, state=SessionState.READY)

    assert hooks.dashboard_panels(session.members[0]) == []


def test_meeting_section_for_participants_and_facilitators(meeting, make_session, facilitator):
    session = make_session(meeting, 4, state=SessionState.FINISHED)

    mine = hooks.meeting_sections(meeting, session.members[0])
    run = hooks.meeting_sections(meeting, facilitator)

    assert [(s["my_sessions"], s["can_run"]) for s in mine] == [([session], False)]
    assert [(s["my_sessions"], s["can_run"]) for s in run] == [([], True)]
    assert hooks.meeting_sections(meeting, UserFactory()) == []
    assert "The people you met, and your follow-ups" in render_sections(mine)
    assert f'href="/meetings/{meeting.pk}/networking/"' in render_sections(run)


def test_people_met_section_renders_names(meeting, make_session):
    session = make_session(meeting, 2, rounds=1, state=SessionState.FINISHED)
    me, other = session.members

    html = render_sections(hooks.profile_sections(me, me))

    assert "People I met" in html
    assert other.display_name in html
