"""Every read the speed-networking pages need, with their joins done up front."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from meetings.enums import RSVPResponse
from meetings.models import RSVP, Meeting

from .models import Encounter, FollowUp, NetworkingSession, Participant, Seat, SessionState


@dataclass
class Table:
    number: int
    people: list = field(default_factory=list)


@dataclass
class RoundBoard:
    number: int
    prompt: str
    tables: list[Table] = field(default_factory=list)
    sitting_out: list = field(default_factory=list)


def meeting_or_404(meeting_pk: int) -> Meeting:
    return get_object_or_404(Meeting, pk=meeting_pk)


def sessions_of_meeting(meeting: Meeting):
    return (
        NetworkingSession.objects.filter(meeting=meeting)
        .annotate(
            participant_count=Count("participants", distinct=True),
            follow_up_count=Count("follow_ups", distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def session_or_404(*, meeting_pk: int, session_pk: int) -> NetworkingSession:
    return get_object_or_404(NetworkingSession.objects.select_related("meeting"), pk=session_pk, meeting_id=meeting_pk)


def going_member_ids(meeting: Meeting) -> list[int]:
    return list(
        RSVP.objects.filter(meeting=meeting, response=RSVPResponse.GOING, member__is_active=True).values_list(
            "member_id", flat=True
        )
    )


def participants_of(session: NetworkingSession):
    return session.participants.select_related("member", "organisation").order_by("pk")


def _seats(session: NetworkingSession):
    return Seat.objects.filter(session=session).select_related("participant__member", "participant__organisation")


def _boards(session: NetworkingSession, seats) -> list[RoundBoard]:
    boards: dict[int, RoundBoard] = {}
    tables: dict[tuple[int, int], Table] = {}
    for seat in seats.order_by("round_number", "table_number", "participant_id"):
        board = boards.get(seat.round_number)
        if board is None:
            board = boards[seat.round_number] = RoundBoard(
                number=seat.round_number, prompt=session.prompt_for(seat.round_number)
            )
        if seat.table_number == 0:
            board.sitting_out.append(seat.participant)
            continue
        key = (seat.round_number, seat.table_number)
        if key not in tables:
            tables[key] = Table(number=seat.table_number)
            board.tables.append(tables[key])
        tables[key].people.append(seat.participant)
    return [boards[number] for number in sorted(boards)]


def session_board(session: NetworkingSession) -> list[RoundBoard]:
    """Every round of the draw: its tables with their people, and who sits out."""
    return _boards(session, _seats(session))


def round_board(session: NetworkingSession, round_number: int) -> RoundBoard | None:
    boards = _boards(session, _seats(session).filter(round_number=round_number))
    return boards[0] if boards else None


def participant_of(session: NetworkingSession, member) -> Participant | None:
    if not getattr(member, "is_authenticated", False):
        return None
    return session.participants.filter(member=member).select_related("member", "organisation").first()


def my_table(session: NetworkingSession, participant: Participant) -> tuple[Seat | None, list[Participant]]:
    """The participant's seat in the current round and the others at that table."""
    if session.state != SessionState.LIVE or not session.current_round:
        return None, []
    seats = list(
        _seats(session)
        .filter(round_number=session.current_round)
        .filter(
            Q(participant=participant)
            | Exists(
                Seat.objects.filter(
                    participant=participant,
                    round_number=session.current_round,
                    table_number=OuterRef("table_number"),
                ).exclude(table_number=0)
            )
        )
        .order_by("participant_id")
    )
    mine = next((s for s in seats if s.participant_id == participant.pk), None)
    return mine, [s.participant for s in seats if s.participant_id != participant.pk]


def played_rounds(session: NetworkingSession) -> int:
    return session.current_round if session.state in (SessionState.LIVE, SessionState.FINISHED) else 0


def people_met_in_session(*, session: NetworkingSession, member):
    """The participants a member sat with in the rounds played so far."""
    mine = Seat.objects.filter(
        session=session,
        participant__member=member,
        round_number=OuterRef("round_number"),
        table_number=OuterRef("table_number"),
    )
    met = (
        Seat.objects.filter(session=session, round_number__lte=played_rounds(session))
        .exclude(table_number=0)
        .exclude(participant__member=member)
        .filter(Exists(mine))
        .values("participant_id")
    )
    return Participant.objects.filter(pk__in=met).select_related("member", "organisation").order_by("pk")


def follow_ups_of(*, session: NetworkingSession, author=None):
    follow_ups = FollowUp.objects.filter(session=session).select_related(
        "author__organisation", "about__member", "about__organisation"
    )
    if author is not None:
        follow_ups = follow_ups.filter(author=author)
    return follow_ups.order_by("author__display_name", "pk")


def new_links_count(session: NetworkingSession) -> int:
    return session.encounters.filter(is_new=True).count()


def history_pairs(*, member_ids: list[int], exclude_session: NetworkingSession | None = None) -> set[tuple[int, int]]:
    """Pairs (smaller id first) of these members who met at other sessions."""
    if len(member_ids) < 2:
        return set()
    encounters = Encounter.objects.filter(member_a__in=member_ids, member_b__in=member_ids)
    if exclude_session is not None:
        encounters = encounters.exclude(session=exclude_session)
    return set(encounters.values_list("member_a_id", "member_b_id"))


def people_met(member) -> list[dict]:
    """Everybody a member met at speed networking, latest first, each person once."""
    encounters = (
        Encounter.objects.filter(Q(member_a=member) | Q(member_b=member))
        .select_related("member_a__organisation", "member_b__organisation", "session__meeting")
        .order_by("-session__meeting__starts_at", "-pk")
    )
    seen: dict[int, dict] = {}
    for encounter in encounters:
        other = encounter.member_b if encounter.member_a_id == member.pk else encounter.member_a
        if other.pk not in seen:
            seen[other.pk] = {"person": other, "meeting": encounter.session.meeting, "times": 0}
        seen[other.pk]["times"] += 1
    return list(seen.values())


def live_sessions_of(member):
    """Sessions under way in which the member has a seat."""
    return (
        NetworkingSession.objects.filter(state=SessionState.LIVE, participants__member=member)
        .select_related("meeting")
        .order_by("-pk")
    )


def sessions_of_member(member):
    return (
        NetworkingSession.objects.filter(participants__member=member)
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
        .distinct()
    )
