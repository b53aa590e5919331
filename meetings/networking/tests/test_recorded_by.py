"""The networking services that take ``by`` record it on the session."""

import pytest

from meetings.networking import services
from meetings.networking.models import Seat, SessionState

pytestmark = pytest.mark.django_db


def test_swap_records_who_changed_the_seats(meeting, make_session, facilitator, member):
    session = make_session(meeting, 4, rounds=2)
    tables = {}
    for seat in Seat.objects.filter(session=session, round_number=1).order_by("table_number", "pk"):
        tables.setdefault(seat.table_number, seat.participant)
    first, second = tables[1], tables[2]

    services.session_swap(session=session, by=member, round_number=1, first=first, second=second)

    session.refresh_from_db()
    assert session.updated_by == member
    assert Seat.objects.get(participant=first, round_number=1).table_number == 2


def test_round_control_records_who_drove_the_clock(meeting, make_session, member):
    session = make_session(meeting, 4, rounds=3, state=SessionState.LIVE)

    services.session_round_control(session=session, by=member, action="next")

    session.refresh_from_db()
    assert (session.current_round, session.updated_by) == (2, member)
