"""The set-up of a session for a crowded meeting: one tick takes everyone going, the page lists
only the members found or ticked, so it keeps its size however many come."""

import re

import pytest
from django.urls import reverse

from community.tests.factories import UserFactory
from meetings.networking.forms import LISTED_AT_MOST
from meetings.networking.models import NetworkingSession

from .factories import going_members

pytestmark = pytest.mark.django_db

TICKED = re.compile(r'<input[^>]*name="everyone_going"[^>]*checked')


@pytest.fixture
def host(client_for):
    return client_for("facilitator")


def _index(meeting) -> str:
    return reverse("meetings:networking:index", kwargs={"meeting_pk": meeting.pk})


def _setup(**fields) -> dict:
    return {"table_size": 2, "rounds": 3, "round_minutes": 5, "prompts": "Who are your partners?", **fields}


def test_a_crowd_is_taken_with_one_tick_and_not_listed(host, meeting):
    crowd = going_members(meeting, LISTED_AT_MOST + 5, centres=6)

    page = host.get(_index(meeting)).content.decode()

    assert f"All {LISTED_AT_MOST + 5} members going to the meeting" in page
    assert TICKED.search(page)
    assert crowd[0].display_name not in page


def test_the_page_keeps_its_size_as_the_crowd_grows(host, meeting):
    going_members(meeting, LISTED_AT_MOST + 1, centres=6)
    small = len(host.get(_index(meeting)).content)
    going_members(meeting, 40, centres=6)

    assert len(host.get(_index(meeting)).content) <= small + 100  # the count's digits, nothing per member


def test_everyone_going_and_a_member_found_take_part(host, meeting):
    crowd = going_members(meeting, LISTED_AT_MOST + 2, centres=6)
    colleague = UserFactory(display_name="Zélie Colleague")

    found = host.post(_index(meeting), _setup(everyone_going="on", find="Zélie", find_members="1"))
    assert "Zélie Colleague" in found.content.decode()
    assert TICKED.search(found.content.decode())  # the tick is kept
    response = host.post(_index(meeting), _setup(everyone_going="on", members=[colleague.pk]))

    assert response.status_code == 302
    session = NetworkingSession.objects.get()
    taking_part = set(session.participants.values_list("member_id", flat=True))
    assert taking_part == {member.pk for member in crowd} | {colleague.pk}


def test_without_the_tick_only_the_members_ticked_take_part(host, meeting):
    crowd = going_members(meeting, LISTED_AT_MOST + 2, centres=6)

    response = host.post(_index(meeting), _setup(members=[crowd[0].pk, crowd[1].pk]))

    assert response.status_code == 302
    session = NetworkingSession.objects.get()
    assert set(session.participants.values_list("member_id", flat=True)) == {crowd[0].pk, crowd[1].pk}


def test_a_small_meeting_still_lists_everyone_going_ticked(host, meeting):
    few = going_members(meeting, 3)

    page = host.get(_index(meeting)).content.decode()

    assert "everyone_going" not in page
    assert all(member.display_name in page for member in few)


def _crowded_session(host, meeting, extra: int = 2):
    crowd = going_members(meeting, LISTED_AT_MOST + extra, centres=6)
    assert host.post(_index(meeting), _setup(everyone_going="on")).status_code == 302
    session = NetworkingSession.objects.get()
    edit = reverse("meetings:networking:edit", kwargs={"meeting_pk": meeting.pk, "session_pk": session.pk})
    return crowd, session, edit


def test_editing_a_crowded_session_keeps_them_with_one_tick_and_lists_nobody(host, meeting):
    crowd, _session, edit = _crowded_session(host, meeting)

    page = host.get(edit).content.decode()

    assert f"All {LISTED_AT_MOST + 2} members taking part now" in page
    assert TICKED.search(page)
    assert crowd[0].display_name not in page


def test_the_edit_page_keeps_its_size_as_the_crowd_grows(host, meeting):
    _crowd, session, edit = _crowded_session(host, meeting)
    small = len(host.get(edit).content)
    more = going_members(meeting, 40, centres=6)
    session.participants.bulk_create([session.participants.model(session=session, member=m) for m in more])

    assert len(host.get(edit).content) <= small + 100


def test_an_edit_keeps_the_crowd_and_adds_a_member_found(host, meeting):
    crowd, session, edit = _crowded_session(host, meeting)
    colleague = UserFactory(display_name="Zélie Colleague")

    response = host.post(edit, _setup(everyone_going="on", members=[colleague.pk]))

    assert response.status_code == 302
    taking_part = set(session.participants.values_list("member_id", flat=True))
    assert taking_part == {member.pk for member in crowd} | {colleague.pk}
