import pytest

from meetings.networking import services
from meetings.networking.models import SessionState

from .factories import MeetingFactory, going_members


@pytest.fixture
def meeting(db):
    return MeetingFactory(title="Meeting in Porto")


@pytest.fixture
def make_session(facilitator):
    """A session for a meeting with ``count`` members going, drawn unless asked otherwise."""

    def make(meeting, count=8, *, table_size=2, rounds=3, centres=None, state=SessionState.READY, guests=()):
        members = going_members(meeting, count, centres=centres)
        session = services.session_create(
            meeting=meeting,
            by=facilitator,
            members=members,
            guests=guests,
            table_size=table_size,
            rounds=rounds,
            round_minutes=5,
            prompts=["First card", "Second card"],
        )
        if state != SessionState.SETUP:
            services.session_draw(session=session, by=facilitator, seed=1)
        if state in (SessionState.LIVE, SessionState.FINISHED):
            services.session_transition(session=session, to=SessionState.LIVE, by=facilitator)
        if state == SessionState.FINISHED:
            services.session_transition(session=session, to=SessionState.FINISHED, by=facilitator)
        session.refresh_from_db()
        session.members = members
        return session

    return make
