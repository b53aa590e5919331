from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from community.tests.factories import UserFactory
from meetings.networking import hooks, services
from meetings.networking.models import Encounter, FollowUp, FollowUpReason, Participant, Seat, SessionState

from .factories import MeetingFactory, OrganisationFactory, going_members

pytestmark = pytest.mark.django_db


def seats_by_round(session):
    rounds = {}
    for seat in Seat.objects.filter(session=session).select_related("participant"):
        rounds.setdefault(seat.round_number, {}).setdefault(seat.table_number, set()).add(seat.participant.member_id)
    return rounds


def test_session_create_keeps_members_and_guests_and_recognises_a_known_centre(meeting, facilitator):
    valencia = OrganisationFactory(name="Cité des métiers de Valencia", short_name="CdM Valencia")
    members = going_members(meeting, 3)

    session = services.session_create(
        meeting=meeting,
        by=facilitator,
        members=members,
        guests=[services.Guest("Ana Ruiz", "cdm valencia"), services.Guest("Tom Hale", "Job Club Leeds")],
        table_size=2,
        rounds=4,
        round_minutes=6,
        prompts=["One", "Two"],
    )

    guests = list(session.participants.filter(member__isnull=True).order_by("pk"))
    assert session.state == SessionState.SETUP
    assert session.participants.count() == 5
    assert [(g.guest_name, g.organisation_id, g.organisation_name) for g in guests] == [
        ("Ana Ruiz", valencia.pk, ""),
        ("Tom Hale", None, "Job Club Leeds"),
    ]
    assert session.prompt_for(3) == "One"


def test_draw_seats_everyone_once_per_round_and_stores_quality(meeting, make_session, facilitator):
    session = make_session(meeting, 9, rounds=4, state=SessionState.SETUP)

    quality = services.session_draw(session=session, by=facilitator, seed=3)

    session.refresh_from_db()
    assert session.state == SessionState.READY
    assert (session.repeats, session.same_centre, session.already_met) == quality.as_tuple() == (0, 0, 0)
    assert session.drawn_by == facilitator
    for number, tables in seats_by_round(session).items():
        people = [p for table in tables.values() for p in table]
        assert len(people) == len(set(people)) == 9
        assert len(tables[0]) == 1  # one person sits out with an odd count
    sitting_out = [next(iter(t[0])) for t in seats_by_round(session).values()]
    assert len(set(sitting_out)) == 4


def test_draw_keeps_people_of_one_centre_apart(meeting, make_session):
    session = make_session(meeting, 8, table_size=2, rounds=3, centres=2)

    for tables in seats_by_round(session).values():
        for table in tables.values():
            assert len({Participant.objects.get(session=session, member_id=m).organisation_id for m in table}) == 2
    assert session.same_centre == 0


def test_draw_avoids_pairs_who_met_at_an_earlier_session(meeting, make_session, facilitator):
    earlier = make_session(MeetingFactory(), 4, rounds=1, state=SessionState.FINISHED)
    met = {frozenset(t) for t in seats_by_round(earlier)[1].values()}
    later = services.session_create(
        meeting=meeting,
        by=facilitator,
        members=earlier.members,
        table_size=2,
        rounds=2,
        round_minutes=5,
        prompts=["Card"],
    )

    services.session_draw(session=later, by=facilitator, seed=9)

    later.refresh_from_db()
    assert later.already_met == 0
    for tables in seats_by_round(later).values():
        assert not {frozenset(t) for t in tables.values()} & met


def test_draw_refused_once_live(meeting, make_session, facilitator):
    session = make_session(meeting, 4, state=SessionState.LIVE)

    with pytest.raises(services.NetworkingError):
        services.session_draw(session=session, by=facilitator)


def test_swap_exchanges_two_seats_and_recounts_quality(meeting, make_session, facilitator):
    session = make_session(meeting, 4, rounds=3)
    first_tables = seats_by_round(session)[1]
    a_member = next(iter(first_tables[1]))
    b_member = next(iter(first_tables[2]))
    a = session.participants.get(member_id=a_member)
    b = session.participants.get(member_id=b_member)

    quality = services.session_swap(session=session, by=facilitator, round_number=1, first=a, second=b)

    assert Seat.objects.get(participant=a, round_number=1).table_number == 2
    assert Seat.objects.get(participant=b, round_number=1).table_number == 1
    session.refresh_from_db()
    # Four people, three rounds: the circle met everybody once; a swap makes a repeat.
    assert quality.repeats == session.repeats == 2


def test_swap_refused_for_two_people_at_one_table(meeting, make_session, facilitator):
    session = make_session(meeting, 4, rounds=1)
    a_member, b_member = sorted(seats_by_round(session)[1][1])

    with pytest.raises(services.NetworkingError, match="same table"):
        services.session_swap(
            session=session,
            by=facilitator,
            round_number=1,
            first=session.participants.get(member_id=a_member),
            second=session.participants.get(member_id=b_member),
        )


def test_transition_table_refuses_skipping_the_draw(meeting, make_session, facilitator):
    session = make_session(meeting, 4, state=SessionState.SETUP)

    with pytest.raises(services.NetworkingError):
        services.session_transition(session=session, to=SessionState.LIVE, by=facilitator)
    session.refresh_from_db()
    assert session.state == SessionState.SETUP


def test_going_live_starts_round_one_and_records_who(meeting, make_session, facilitator):
    session = make_session(meeting, 4)

    services.session_transition(session=session, to=SessionState.LIVE, by=facilitator)

    session.refresh_from_db()
    assert (session.state, session.current_round, session.paused_at) == (SessionState.LIVE, 1, None)
    assert session.state_changed_by == facilitator
    assert session.remaining_seconds() in (299, 300)


def test_round_controls_move_rounds_and_freeze_the_clock_while_paused(meeting, make_session, facilitator):
    session = make_session(meeting, 4, rounds=3, state=SessionState.LIVE)

    services.session_round_control(session=session, by=facilitator, action="next")
    session.refresh_from_db()
    assert session.current_round == 2

    session.round_started_at = timezone.now() - timedelta(seconds=100)
    session.save(update_fields=["round_started_at"])
    services.session_round_control(session=session, by=facilitator, action="pause")
    session.refresh_from_db()
    assert session.remaining_seconds(now=timezone.now() + timedelta(minutes=10)) == 200

    paused_at = session.paused_at
    services.session_round_control(session=session, by=facilitator, action="resume")
    session.refresh_from_db()
    assert session.paused_at is None
    assert 199 <= session.remaining_seconds() <= 200
    assert session.round_started_at > paused_at - timedelta(seconds=101)

    services.session_round_control(session=session, by=facilitator, action="previous")
    session.refresh_from_db()
    assert session.current_round == 1
    with pytest.raises(services.NetworkingError, match="first round"):
        services.session_round_control(session=session, by=facilitator, action="previous")


def test_finishing_records_the_pairs_of_rounds_played_and_which_are_new(meeting, make_session, facilitator):
    earlier = make_session(MeetingFactory(), 4, rounds=1, state=SessionState.FINISHED)
    assert Encounter.objects.filter(session=earlier, is_new=True).count() == 2
    later = services.session_create(
        meeting=meeting, by=facilitator, members=earlier.members, table_size=4, rounds=2, round_minutes=5, prompts=["x"]
    )
    services.session_draw(session=later, by=facilitator, seed=1)
    services.session_transition(session=later, to=SessionState.LIVE, by=facilitator)

    services.session_transition(session=later, to=SessionState.FINISHED, by=facilitator)

    # One table of four in round 1 only: six pairs, two of which met before.
    encounters = Encounter.objects.filter(session=later)
    assert encounters.count() == 6
    assert Counter(encounters.values_list("is_new", flat=True)) == Counter({True: 4, False: 2})
    assert set(encounters.values_list("round_number", flat=True)) == {1}


def test_follow_up_only_with_someone_met(meeting, make_session, facilitator):
    session = make_session(meeting, 4, rounds=2, state=SessionState.LIVE)
    me = session.members[0]
    round_one = seats_by_round(session)[1]
    mate_id = next(next(iter(t - {me.pk})) for t in round_one.values() if me.pk in t)
    stranger_id = next(m for t in round_one.values() if me.pk not in t for m in t)
    mate = session.participants.get(member_id=mate_id)

    follow_up = services.follow_up_save(
        session=session, author=me, about=mate, reason=FollowUpReason.PRACTICE, note="  Swap our onboarding kit  "
    )
    with pytest.raises(services.NetworkingError, match="sat with"):
        services.follow_up_save(
            session=session,
            author=me,
            about=session.participants.get(member_id=stranger_id),
            reason=FollowUpReason.PARTNERSHIP,
        )

    assert list(FollowUp.objects.values_list("author", "about", "reason", "note")) == [
        (me.pk, mate.pk, "practice", "Swap our onboarding kit")
    ]
    assert follow_up.session == session


def test_follow_up_refused_to_a_non_participant(meeting, make_session):
    session = make_session(meeting, 4, state=SessionState.LIVE)

    with pytest.raises(services.NetworkingError):
        services.follow_up_save(
            session=session, author=UserFactory(), about=session.participants.first(), reason="practice"
        )


def test_changing_participants_discards_the_draw_but_a_new_deck_keeps_it(meeting, make_session, facilitator):
    session = make_session(meeting, 4, rounds=2)
    kwargs = {"table_size": 2, "rounds": 2, "round_minutes": 5, "guests": []}

    services.session_update(session=session, by=facilitator, members=session.members, prompts=["New"], **kwargs)
    session.refresh_from_db()
    assert (session.state, session.prompts, session.seats.count()) == (SessionState.READY, ["New"], 8)

    services.session_update(session=session, by=facilitator, members=session.members[:3], prompts=["New"], **kwargs)
    session.refresh_from_db()
    assert (session.state, session.seats.count(), session.participants.count()) == (SessionState.SETUP, 0, 3)


def test_export_and_erase_personal_data(meeting, make_session):
    session = make_session(meeting, 4, rounds=1, state=SessionState.FINISHED)
    me = session.members[0]
    mate_id = next(next(iter(t - {me.pk})) for t in seats_by_round(session)[1].values() if me.pk in t)
    mate = session.participants.select_related("member").get(member_id=mate_id)
    services.follow_up_save(session=session, author=me, about=mate, reason="partnership", note="Joint fair")

    data = hooks.export_personal_data(me)["speed_networking"]

    assert [s["meeting"] for s in data["sessions"]] == ["Meeting in Porto"]
    assert [p["name"] for p in data["people_met"]] == [mate.member.display_name]
    assert [(f["person"], f["reason"], f["note"]) for f in data["follow_ups"]] == [
        (mate.member.display_name, "partnership", "Joint fair")
    ]

    services.member_data_erase(member=me)

    assert FollowUp.objects.filter(author=me).count() == 0


def test_profile_section_lists_people_met_for_the_member_and_facilitators_only(meeting, make_session, facilitator):
    session = make_session(meeting, 4, rounds=1, state=SessionState.FINISHED)
    me = session.members[0]

    own = hooks.profile_sections(me, me)
    assert len(own) == 1
    assert [entry["person"] for entry in own[0]["people"]] != []
    assert len(own[0]["people"]) == 1
    assert hooks.profile_sections(me, facilitator)[0]["own"] is False
    assert hooks.profile_sections(me, session.members[1]) == []


def test_seed_demo_draws_one_past_session_once(facilitator):
    past = MeetingFactory(starts_at=timezone.now() - timedelta(days=30))
    going_members(past, 6)

    class Out:
        lines: list = []

        def write(self, text):
            self.lines.append(text)

    hooks.seed_demo(Out())
    hooks.seed_demo(Out())

    assert past.networking_sessions.count() == 1
    session = past.networking_sessions.get()
    assert session.state == SessionState.FINISHED
    assert Encounter.objects.filter(session=session).count() == 12
    assert FollowUp.objects.filter(session=session).count() == 1
