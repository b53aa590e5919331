"""Setting up a speed-networking session: its participants and deck, the draw, manual swaps and
the quality counts."""

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Organisation

from .. import draw as drawing
from .. import selectors
from ..models import NetworkingSession, Participant, Seat, SessionState
from .common import NetworkingError
from .live import session_transition

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
