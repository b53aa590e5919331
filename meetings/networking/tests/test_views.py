import pytest
from django.urls import reverse

from community.tests.factories import UserFactory
from meetings.networking.models import FollowUp, NetworkingSession, Seat, SessionState

from .factories import MeetingFactory, going_members
from .pages import url, where

pytestmark = pytest.mark.django_db

ROLE_STATUS = {"visitor": 302, "pending": 302, "member": 404, "facilitator": 200, "editor": 404}


@pytest.mark.parametrize("role", ROLE_STATUS)
@pytest.mark.parametrize("page", ["index", "session", "edit", "live", "presenter"])
def test_only_facilitators_see_the_set_up_and_the_live_screen(role, page, client_for, meeting, make_session):
    session = make_session(meeting, 4)
    path = (
        reverse("meetings:networking:index", kwargs={"meeting_pk": meeting.pk})
        if page == "index"
        else url(page, session)
    )

    response = client_for(role).get(path)

    assert response.status_code == ROLE_STATUS[role]
    if role == "visitor":
        assert where(response) == "/accounts/login/"
    if role == "pending":
        assert where(response) == "/members/waiting/"


@pytest.mark.parametrize("role", ROLE_STATUS)
@pytest.mark.parametrize("action", ["draw", "control", "swap"])
def test_only_facilitators_drive_a_session(role, action, client_for, meeting, make_session):
    session = make_session(meeting, 4)
    data = {"action": "start"} if action == "control" else {}

    response = client_for(role).post(url(action, session), data)

    expected = {"facilitator": 302 if action != "swap" else 400}.get(role, ROLE_STATUS[role])
    assert response.status_code == expected
    session.refresh_from_db()
    assert session.state == (SessionState.LIVE if role == "facilitator" and action == "control" else SessionState.READY)


@pytest.mark.parametrize(
    "role, status", [("visitor", 302), ("pending", 302), ("member", 404), ("facilitator", 404), ("editor", 404)]
)
def test_a_participant_page_is_only_for_participants(role, status, client_for, meeting, make_session):
    session = make_session(meeting, 4, state=SessionState.LIVE)

    assert client_for(role).get(url("me", session)).status_code == status


def test_unknown_meeting_or_session_answers_404(facilitator_client, meeting, make_session):
    session = make_session(meeting, 4)
    other = MeetingFactory()

    assert facilitator_client.get(f"/meetings/{meeting.pk + 1000}/networking/").status_code == 404
    assert facilitator_client.get(f"/meetings/{meeting.pk}/networking/{session.pk + 1000}/").status_code == 404
    assert facilitator_client.get(f"/meetings/{other.pk}/networking/{session.pk}/").status_code == 404
    assert facilitator_client.get(f"/meetings/{other.pk}/networking/{session.pk}/live/").status_code == 404


def test_set_up_form_ticks_members_going_and_offers_the_default_deck(facilitator_client, meeting):
    going = going_members(meeting, 2)
    UserFactory(display_name="Not Going")

    response = facilitator_client.get(f"/meetings/{meeting.pk}/networking/")

    form = response.context["form"]
    assert sorted(form.initial["members"]) == sorted(m.pk for m in going)
    assert form.initial["prompts"].splitlines()[0] == "Your flagship activity in one minute."
    fr = facilitator_client.get(f"/meetings/{meeting.pk}/networking/", HTTP_ACCEPT_LANGUAGE="fr")
    assert fr.context["form"].initial["prompts"].splitlines()[0] in (
        "Your flagship activity in one minute.",
        "Votre activité phare en une minute.",
    )


@pytest.mark.parametrize(
    ("language", "first_card"),
    [("pt", "A sua atividade de referência num minuto."), ("es", "Su actividad estrella en un minuto.")],
)
def test_set_up_form_offers_the_default_deck_in_the_facilitators_language(
    facilitator_client, facilitator, meeting, language, first_card
):
    facilitator.preferred_language = language
    facilitator.save(update_fields=["preferred_language"])

    response = facilitator_client.get(f"/meetings/{meeting.pk}/networking/")

    assert response.context["form"].initial["prompts"].splitlines()[0] == first_card


def test_facilitator_sets_up_a_session_with_members_and_guests(facilitator_client, facilitator, meeting):
    going = going_members(meeting, 3)

    response = facilitator_client.post(
        f"/meetings/{meeting.pk}/networking/",
        {
            "members": [m.pk for m in going],
            "guests": "Ana Ruiz, Job Club Valencia\nTom Hale",
            "table_size": "3",
            "rounds": "4",
            "round_minutes": "7",
            "prompts": "First card\n\nSecond card\n",
        },
    )

    session = NetworkingSession.objects.get()
    assert response.status_code == 302
    assert where(response) == url("session", session)
    assert (session.table_size, session.rounds, session.round_minutes) == (3, 4, 7)
    assert session.prompts == ["First card", "Second card"]
    assert session.created_by == facilitator
    assert sorted(session.participants.values_list("guest_name", "organisation_name")) == [
        ("", ""),
        ("", ""),
        ("", ""),
        ("Ana Ruiz", "Job Club Valencia"),
        ("Tom Hale", ""),
    ]


def test_set_up_with_one_participant_shows_an_error_and_keeps_what_was_typed(facilitator_client, meeting):
    response = facilitator_client.post(
        f"/meetings/{meeting.pk}/networking/",
        {"guests": "Lonely Guest, Somewhere", "table_size": "2", "rounds": "3", "round_minutes": "5", "prompts": "Hi"},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Choose at least two participants (members or guests)."]
    assert "Lonely Guest, Somewhere" in response.content.decode()
    assert NetworkingSession.objects.count() == 0


def test_set_up_refuses_a_guest_line_without_a_name(facilitator_client, meeting):
    response = facilitator_client.post(
        f"/meetings/{meeting.pk}/networking/",
        {"guests": "A B, X\n, Nameless org", "table_size": "9", "rounds": "0", "round_minutes": "5", "prompts": ""},
    )

    errors = response.context["form"].errors
    assert response.status_code == 400
    assert errors["guests"] == ["Line(s) 2: write a name (up to 150 characters), a comma, then an organisation."]
    assert set(errors) == {"guests", "table_size", "rounds", "prompts"}


def test_draw_then_redraw_from_the_page(facilitator_client, meeting, make_session):
    session = make_session(meeting, 6, rounds=3, state=SessionState.SETUP)

    response = facilitator_client.post(url("draw", session), follow=True)

    session.refresh_from_db()
    assert response.status_code == 200
    assert session.state == SessionState.READY
    assert Seat.objects.filter(session=session).count() == 18
    assert [r.number for r in response.context["board"]] == [1, 2, 3]
    content = response.content.decode()
    assert 'data-quality="repeats">0<' in content


def test_swap_with_the_same_person_twice_is_a_form_error(facilitator_client, meeting, make_session):
    session = make_session(meeting, 4)
    person = session.participants.first()

    response = facilitator_client.post(
        url("swap", session), {"round_number": 1, "first": person.pk, "second": person.pk}
    )

    assert response.status_code == 400
    assert response.context["swap_form"].non_field_errors() == ["Choose two different people."]


def test_swap_from_the_page(facilitator_client, meeting, make_session):
    session = make_session(meeting, 4, rounds=1)
    seats = list(Seat.objects.filter(session=session, round_number=1).order_by("table_number", "pk"))
    a, b = seats[0], seats[2]

    response = facilitator_client.post(
        url("swap", session), {"round_number": 1, "first": a.participant_id, "second": b.participant_id}
    )

    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.table_number, b.table_number) == (2, 1)


def test_live_controls_start_advance_pause_and_finish(facilitator_client, meeting, make_session):
    session = make_session(meeting, 4, rounds=2)

    assert facilitator_client.post(url("control", session), {"action": "start"}).status_code == 302
    response = facilitator_client.post(url("control", session), {"action": "next"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "meetings/networking/includes/_presenter_board.html"
    assert 'data-round="2"' in response.content.decode()
    response = facilitator_client.post(url("control", session), {"action": "next"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert "This is the last round." in response.content.decode()
    facilitator_client.post(url("control", session), {"action": "pause"})
    session.refresh_from_db()
    assert session.paused_at is not None
    response = facilitator_client.post(url("control", session), {"action": "finish"})
    session.refresh_from_db()
    assert (session.state, session.current_round) == (SessionState.FINISHED, 2)
    assert where(response) == url("session", session)


def test_participant_sees_only_their_own_table(client, meeting, make_session):
    session = make_session(meeting, 6, rounds=2, state=SessionState.LIVE)
    me = session.members[0]
    my_seat = Seat.objects.get(session=session, participant__member=me, round_number=1)
    mates = set(
        Seat.objects.filter(session=session, round_number=1, table_number=my_seat.table_number)
        .exclude(participant__member=me)
        .values_list("participant__member__display_name", flat=True)
    )
    others = set(
        Seat.objects.filter(session=session, round_number=1)
        .exclude(table_number=my_seat.table_number)
        .values_list("participant__member__display_name", flat=True)
    )
    client.force_login(me)

    response = client.get(url("me", session), HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert response.status_code == 200
    assert f"Your table this round: table {my_seat.table_number}" in content
    assert {p.name for p in response.context["tablemates"]} == mates
    assert not [name for name in others if name in content]


def test_participant_marks_a_follow_up_after_the_session(client, meeting, make_session):
    session = make_session(meeting, 4, rounds=1, state=SessionState.FINISHED)
    me = session.members[0]
    my_table = Seat.objects.get(session=session, participant__member=me).table_number
    mate = Seat.objects.exclude(participant__member=me).get(session=session, table_number=my_table).participant
    client.force_login(me)

    response = client.post(url("follow_up", session), {"about": mate.pk, "reason": "practice", "note": "Call in May"})

    assert response.status_code == 302
    assert list(FollowUp.objects.values_list("author", "about", "reason", "note")) == [
        (me.pk, mate.pk, "practice", "Call in May")
    ]
    stranger = session.participants.exclude(pk=mate.pk).exclude(member=me).first()
    response = client.post(url("follow_up", session), {"about": stranger.pk, "reason": "practice", "note": "Hm"})
    assert response.status_code == 400
    assert "Hm" in response.content.decode()


def test_follow_up_removed_only_by_its_author(client, meeting, make_session):
    session = make_session(meeting, 4, rounds=1, state=SessionState.FINISHED)
    me, other = session.members[0], session.members[1]
    mate = (
        Seat.objects.exclude(participant__member=me)
        .get(session=session, table_number=Seat.objects.get(session=session, participant__member=me).table_number)
        .participant
    )
    follow_up = FollowUp.objects.create(session=session, author=me, about=mate, reason="practice")
    client.force_login(other)
    assert client.post(url("follow_up_delete", session, pk=follow_up.pk)).status_code == 404
    client.force_login(me)
    assert client.post(url("follow_up_delete", session, pk=follow_up.pk)).status_code == 302
    assert FollowUp.objects.count() == 0


def test_facilitator_sees_follow_ups_and_new_links(facilitator_client, meeting, make_session):
    session = make_session(meeting, 4, rounds=2, state=SessionState.FINISHED)

    response = facilitator_client.get(url("session", session))

    assert response.context["new_links"] == 2  # round 1 only was played: two pairs
    assert 'data-new-links="2"' in response.content.decode()
