import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.tests.factories import UserFactory
from meetings.networking.models import FollowUp, NetworkingSession, Seat, SessionState

from .factories import MeetingFactory, going_members

pytestmark = pytest.mark.django_db

ROLE_STATUS = {"visitor": 302, "pending": 302, "member": 404, "facilitator": 200, "editor": 404}


def url(name, session, **kwargs):
    return reverse(
        f"meetings:networking:{name}", kwargs={"meeting_pk": session.meeting_id, "session_pk": session.pk, **kwargs}
    )


def where(response):
    return response.headers.get("Location", "").split("?")[0]


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
