"""A speed-networking session once drawn: its states, the live clock of its rounds, the
encounters it records, the follow-ups members note, and a member's erasure."""

from itertools import combinations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..models import Encounter, FollowUp, NetworkingSession, Participant, SessionState
from .common import FORMER_MEMBER, NetworkingError

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
