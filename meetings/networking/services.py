"""Every write of speed networking: set-up, draw, manual swaps, the live clock, follow-ups."""

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Organisation

from . import draw as drawing
from . import selectors
from .models import Encounter, FollowUp, NetworkingSession, Participant, Seat, SessionState

# Stored in place of the name of a member who deleted their account (in the site's language).
FORMER_MEMBER = "Former member"

DEFAULT_DECKS = {
    "en": [
        "Your flagship activity in one minute.",
        "A partner you would like to be introduced to.",
        "A barrier you could use help with.",
        "A partnership that surprised you this year.",
        "A tool or method you would lend to another centre.",
        "What would make you call each other next month?",
    ],
    "fr": [
        "Votre activité phare en une minute.",
        "Un partenaire à qui vous aimeriez être présenté·e.",
        "Un obstacle sur lequel un coup de main vous aiderait.",
        "Un partenariat qui vous a surpris·e cette année.",
        "Un outil ou une méthode que vous prêteriez à un autre centre.",
        "Qu'est-ce qui vous ferait vous appeler le mois prochain ?",
    ],
    "pt": [
        "A sua atividade de referência num minuto.",
        "Um parceiro a quem gostaria de ser apresentado(a).",
        "Um obstáculo com o qual uma ajuda lhe daria jeito.",
        "Uma parceria que o(a) surpreendeu este ano.",
        "Uma ferramenta ou um método que emprestaria a outro centro.",
        "O que vos levaria a telefonar um ao outro no próximo mês?",
    ],
    "es": [
        "Su actividad estrella en un minuto.",
        "Un socio al que le gustaría que le presentaran.",
        "Un obstáculo con el que le vendría bien una mano.",
        "Una alianza que le sorprendió este año.",
        "Una herramienta o un método que prestaría a otro centro.",
        "¿Qué les haría llamarse el mes que viene?",
    ],
}


class NetworkingError(Exception):
    """A request the rules refuse; the message is shown to the person."""


@dataclass(frozen=True)
class Guest:
    name: str
    organisation: str = ""


def default_deck(language: str | None) -> list[str]:
    """The default prompt cards in a language (English for a language without its own deck)."""
    code = (language or "en").split("-")[0]
    return list(DEFAULT_DECKS.get(code, DEFAULT_DECKS["en"]))


# ---------------------------------------------------------------------------
# Set-up


def _participant_rows(*, session, members: Iterable, guests: Sequence[Guest]) -> list[Participant]:
    by_name = {}
    for organisation in Organisation.objects.all():
        for label in (organisation.name, organisation.short_name):
            if label:
                by_name.setdefault(" ".join(label.casefold().split()), organisation)
    rows = [Participant(session=session, member=m, organisation_id=m.organisation_id) for m in members]
    for guest in guests:
        known = by_name.get(" ".join(guest.organisation.casefold().split()))
        rows.append(
            Participant(
                session=session,
                guest_name=guest.name.strip(),
                organisation=known,
                organisation_name="" if known else guest.organisation.strip(),
            )
        )
    return rows


def session_create(
    *,
    meeting,
    by,
    members: Iterable,
    guests: Sequence[Guest] = (),
    table_size: int,
    rounds: int,
    round_minutes: int,
    prompts: Sequence[str],
) -> NetworkingSession:
    """Set up a speed-networking session for a meeting, with its participants. Nothing is drawn yet."""
    with transaction.atomic():
        session = NetworkingSession.objects.create(
            meeting=meeting,
            table_size=table_size,
            rounds=rounds,
            round_minutes=round_minutes,
            prompts=list(prompts),
            created_by=by,
            state_changed_at=timezone.now(),
            state_changed_by=by,
        )
        Participant.objects.bulk_create(_participant_rows(session=session, members=members, guests=guests))
    return session


def session_update(
    *,
    session: NetworkingSession,
    by,
    members: Iterable,
    guests: Sequence[Guest] = (),
    table_size: int,
    rounds: int,
    round_minutes: int,
    prompts: Sequence[str],
) -> NetworkingSession:
    """Change the set-up of a session that has not started.

    Side effects: when the participants, the table size or the number of rounds change,
    the draw is discarded (the session goes back to being set up).
    """
    members = list(members)
    with transaction.atomic():
        session = NetworkingSession.objects.select_for_update().get(pk=session.pk)
        if session.state not in (SessionState.SETUP, SessionState.READY):
            raise NetworkingError(_("The session has started: its set-up can no longer change."))
        current = list(session.participants.order_by("pk"))
        same_people = sorted(p.member_id for p in current if p.member_id) == sorted(m.pk for m in members) and sorted(
            (p.guest_name, p.centre_label) for p in current if not p.member_id
        ) == sorted((g.name.strip(), g.organisation.strip()) for g in guests)
        redraw = not same_people or session.table_size != table_size or session.rounds != rounds
        session.table_size, session.rounds = table_size, rounds
        session.round_minutes, session.prompts = round_minutes, list(prompts)
        session.save(update_fields=["table_size", "rounds", "round_minutes", "prompts", "updated_at"])
        if not same_people:
            session.participants.all().delete()
            Participant.objects.bulk_create(_participant_rows(session=session, members=members, guests=guests))
        if redraw and session.state == SessionState.READY:
            session_transition(session=session, to=SessionState.SETUP, by=by)
    return session


# ---------------------------------------------------------------------------
# The draw


def _quality_of(session: NetworkingSession, participants: list[Participant], plan) -> drawing.Quality:
    member_index = {p.member_id: i for i, p in enumerate(participants) if p.member_id}
    history = [
        (member_index[a], member_index[b])
        for a, b in selectors.history_pairs(member_ids=list(member_index), exclude_session=session)
    ]
    return drawing.evaluate(plan, centres=[p.centre_key for p in participants], history=history)


def session_draw(*, session: NetworkingSession, by, seed: int | None = None) -> drawing.Quality:
    """Draw (or redraw) every round of a session that has not started.

    Side effects: replaces the seats, stores the quality counts, moves the session to
    "ready".
    """
    with transaction.atomic():
        session = NetworkingSession.objects.select_for_update().get(pk=session.pk)
        if session.state not in (SessionState.SETUP, SessionState.READY):
            raise NetworkingError(_("The session has started: the rounds can no longer be redrawn."))
        participants = list(session.participants.order_by("pk"))
        if len(participants) < 2:
            raise NetworkingError(_("At least two participants are needed to draw tables."))
        member_index = {p.member_id: i for i, p in enumerate(participants) if p.member_id}
        history = [
            (member_index[a], member_index[b])
            for a, b in selectors.history_pairs(member_ids=list(member_index), exclude_session=session)
        ]
        seed = random.SystemRandom().randrange(2**31) if seed is None else seed
        result = drawing.draw_rounds(
            count=len(participants),
            table_size=session.table_size,
            rounds=session.rounds,
            centres=[p.centre_key for p in participants],
            history=history,
            seed=seed,
        )
        session.seats.all().delete()
        seats = []
        for number, rnd in enumerate(result.rounds, start=1):
            for table_number, table in enumerate(rnd.tables, start=1):
                seats += [
                    Seat(session=session, participant=participants[i], round_number=number, table_number=table_number)
                    for i in table
                ]
            seats += [
                Seat(session=session, participant=participants[i], round_number=number, table_number=0)
                for i in rnd.sitting_out
            ]
        Seat.objects.bulk_create(seats)
        _store_quality(session, result.quality)
        session.seed, session.drawn_at, session.drawn_by = seed, timezone.now(), by
        session.save(update_fields=["seed", "drawn_at", "drawn_by", "updated_at"])
        if session.state == SessionState.SETUP:
            session_transition(session=session, to=SessionState.READY, by=by)
    return result.quality


def _store_quality(session: NetworkingSession, quality: drawing.Quality) -> None:
    session.repeats, session.same_centre, session.already_met = quality.as_tuple()
    session.save(update_fields=["repeats", "same_centre", "already_met", "updated_at"])


def session_swap(
    *, session: NetworkingSession, by, round_number: int, first: Participant, second: Participant
) -> drawing.Quality:
    """Swap two people's places in one round (a round that has not been played yet).

    Side effects: updates both seats and the stored quality counts; records ``by`` as the
    session's last editor.
    """
    with transaction.atomic():
        session = NetworkingSession.objects.select_for_update().get(pk=session.pk)
        if session.state not in (SessionState.READY, SessionState.LIVE):
            raise NetworkingError(_("Draw the rounds before swapping people."))
        if session.state == SessionState.LIVE and round_number < session.current_round:
            raise NetworkingError(_("That round has already been played."))
        if first.pk == second.pk:
            raise NetworkingError(_("Choose two different people."))
        seats = {
            seat.participant_id: seat
            for seat in Seat.objects.select_for_update().filter(
                session=session, round_number=round_number, participant__in=[first, second]
            )
        }
        if len(seats) != 2:
            raise NetworkingError(_("Both people must be seated in that round."))
        a, b = seats[first.pk], seats[second.pk]
        if a.table_number == b.table_number:
            raise NetworkingError(_("They already sit at the same table."))
        a.table_number, b.table_number = b.table_number, a.table_number
        Seat.objects.bulk_update([a, b], ["table_number"])
        session.updated_by = by
        session.save(update_fields=["updated_by", "updated_at"])
        quality = session_quality_refresh(session=session)
    return quality


def session_quality_refresh(*, session: NetworkingSession) -> drawing.Quality:
    """Recount repeats, same-centre and already-met pairs from the stored seats."""
    participants = list(session.participants.order_by("pk"))
    index = {p.pk: i for i, p in enumerate(participants)}
    rounds: dict[int, dict[int, list[int]]] = {}
    for participant_id, number, table in session.seats.values_list("participant_id", "round_number", "table_number"):
        rounds.setdefault(number, {}).setdefault(table, []).append(index[participant_id])
    plan = [
        drawing.Round(
            tables=tuple(tuple(people) for table, people in sorted(tables.items()) if table),
            sitting_out=tuple(tables.get(0, ())),
        )
        for _number, tables in sorted(rounds.items())
    ]
    quality = _quality_of(session, participants, plan)
    _store_quality(session, quality)
    return quality


# ---------------------------------------------------------------------------
# State and live clock

ALLOWED_MOVES = {
    SessionState.SETUP: {SessionState.READY},
    SessionState.READY: {SessionState.SETUP, SessionState.LIVE},
    SessionState.LIVE: {SessionState.FINISHED},
    SessionState.FINISHED: set(),
}


def session_transition(*, session: NetworkingSession, to: str, by) -> NetworkingSession:
    """The one place the state of a session changes.

    Side effects: going back to set-up deletes the seats; going live starts round one's
    clock; finishing stores who met whom (the rounds played) as encounters.
    """
    with transaction.atomic():
        session = NetworkingSession.objects.select_for_update().get(pk=session.pk)
        if to not in ALLOWED_MOVES[session.state]:
            raise NetworkingError(
                _("A session cannot go from “%(from)s” to “%(to)s”.")
                % {"from": session.get_state_display(), "to": SessionState(to).label}
            )
        if to == SessionState.READY and not session.seats.exists():
            raise NetworkingError(_("Draw the rounds first."))
        now = timezone.now()
        fields = ["state", "state_changed_at", "state_changed_by", "updated_at"]
        if to == SessionState.SETUP:
            session.seats.all().delete()
            session.drawn_at = None
            session.repeats = session.same_centre = session.already_met = 0
            fields += ["drawn_at", "repeats", "same_centre", "already_met"]
        elif to == SessionState.LIVE:
            session.current_round, session.round_started_at, session.paused_at = 1, now, None
            fields += ["current_round", "round_started_at", "paused_at"]
        elif to == SessionState.FINISHED:
            session.paused_at = session.paused_at or now
            fields += ["paused_at"]
            _record_encounters(session)
        session.state, session.state_changed_at, session.state_changed_by = to, now, by
        session.save(update_fields=fields)
    return session


def _record_encounters(session: NetworkingSession) -> int:
    """Store each pair of members who sat together in the rounds played; return how many are new."""
    tables: dict[tuple[int, int], list[int]] = {}
    for member_id, number, table in (
        session.seats.filter(round_number__lte=session.current_round, participant__member__isnull=False)
        .exclude(table_number=0)
        .order_by("round_number")
        .values_list("participant__member_id", "round_number", "table_number")
    ):
        tables.setdefault((number, table), []).append(member_id)
    first_round: dict[tuple[int, int], int] = {}
    for (number, _table), members in tables.items():
        for a, b in combinations(sorted(members), 2):
            first_round.setdefault((a, b), number)
    member_ids = {m for pair in first_round for m in pair}
    known = selectors.history_pairs(member_ids=list(member_ids), exclude_session=session)
    Encounter.objects.bulk_create(
        [
            Encounter(session=session, member_a_id=a, member_b_id=b, round_number=number, is_new=(a, b) not in known)
            for (a, b), number in first_round.items()
        ],
        ignore_conflicts=True,
    )
    return sum(1 for pair in first_round if pair not in known)


ROUND_ACTIONS = ("next", "previous", "pause", "resume")


def session_round_control(*, session: NetworkingSession, by, action: str) -> NetworkingSession:
    """Drive a live session: next or previous round, pause or resume the clock.

    Every screen reads the clock from the session, so they all agree. Moving to
    another round starts its clock afresh. Records ``by`` as the session's last editor.
    """
    with transaction.atomic():
        session = NetworkingSession.objects.select_for_update().get(pk=session.pk)
        if session.state != SessionState.LIVE:
            raise NetworkingError(_("The session is not live."))
        now = timezone.now()
        if action == "next":
            if session.current_round >= session.rounds:
                raise NetworkingError(_("This is the last round."))
            session.current_round += 1
            session.round_started_at, session.paused_at = now, None
        elif action == "previous":
            if session.current_round <= 1:
                raise NetworkingError(_("This is the first round."))
            session.current_round -= 1
            session.round_started_at, session.paused_at = now, None
        elif action == "pause":
            if session.paused_at:
                raise NetworkingError(_("The clock is already paused."))
            session.paused_at = now
        elif action == "resume":
            if not session.paused_at:
                raise NetworkingError(_("The clock is running."))
            session.round_started_at += now - session.paused_at
            session.paused_at = None
        else:
            raise NetworkingError(_("Unknown action."))
        session.updated_by = by
        session.save(update_fields=["current_round", "round_started_at", "paused_at", "updated_by", "updated_at"])
    return session


# ---------------------------------------------------------------------------
# Follow-ups


def follow_up_save(*, session: NetworkingSession, author, about: Participant, reason: str, note: str = "") -> FollowUp:
    """Record (or change) whom a participant wants to follow up with, and why.

    Only people the author sat with in a round already played can be chosen.
    """
    with transaction.atomic():
        if not session.participants.filter(member=author).exists():
            raise NetworkingError(_("Only participants can mark follow-ups."))
        if not selectors.people_met_in_session(session=session, member=author).filter(pk=about.pk).exists():
            raise NetworkingError(_("You can only follow up with people you sat with."))
        follow_up, _created = FollowUp.objects.update_or_create(
            author=author, about=about, defaults={"session": session, "reason": reason, "note": note.strip()}
        )
    return follow_up


def follow_up_delete(*, follow_up: FollowUp, by) -> None:
    """Remove a follow-up; only its author may."""
    if follow_up.author_id != by.pk:
        raise NetworkingError(_("Only its author can remove a follow-up."))
    follow_up.delete()


def member_data_erase(*, member) -> int:
    """Delete every follow-up a member wrote (with its note); return how many went.

    Other members' follow-ups about this member stay theirs: the member's seats become
    anonymous ("Former member", no centre), so those notes keep a person without a name.
    """
    deleted, _detail = FollowUp.objects.filter(author=member).delete()
    Participant.objects.filter(member=member).update(
        member=None, guest_name=FORMER_MEMBER, organisation=None, organisation_name=""
    )
    return deleted
