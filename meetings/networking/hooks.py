"""What speed networking adds to the composed pages (listed in ``portal.composition``)."""

import random

from django.db import transaction
from django.utils import timezone

from community.rules import is_facilitator

from . import selectors, services
from .models import Encounter, FollowUp, FollowUpReason, NetworkingSession, SessionState


def dashboard_panels(user) -> list[dict]:
    """A member seated in a live session gets a link to their table."""
    sessions = list(selectors.live_sessions_of(user)[:3])
    if not sessions:
        return []
    return [{"template": "meetings/networking/includes/_dashboard_panel.html", "sessions": sessions}]


def meeting_sections(meeting, viewer) -> list[dict]:
    """On a meeting page: a participant's link to their table, a facilitator's link to the set-up."""
    facilitator = is_facilitator(viewer)
    mine = []
    if getattr(viewer, "is_authenticated", False):
        mine = list(
            NetworkingSession.objects.filter(meeting=meeting, participants__member=viewer)
            .exclude(state=SessionState.SETUP)
            .order_by("pk")
        )
    if not (mine or facilitator):
        return []
    return [
        {
            "template": "meetings/networking/includes/_meeting_section.html",
            "meeting": meeting,
            "my_sessions": mine,
            "can_run": facilitator,
        }
    ]


def profile_sections(member, viewer) -> list[dict]:
    """ "People I met" at speed networking, shown to the member and to facilitators."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    if viewer.pk != member.pk and not is_facilitator(viewer):
        return []
    people = selectors.people_met(member)
    if not people:
        return []
    return [
        {
            "template": "meetings/networking/includes/_people_met.html",
            "people": people,
            "member": member,
            "own": viewer.pk == member.pk,
        }
    ]


def export_personal_data(user) -> dict:
    """The sessions a member took part in, the people they met and their follow-ups."""
    sessions = [
        {
            "meeting": session.meeting.title,
            "meeting_starts_at": session.meeting.starts_at.isoformat(),
            "table_size": session.table_size,
            "rounds": session.rounds,
            "state": session.state,
        }
        for session in selectors.sessions_of_member(user)
    ]
    people = [
        {
            "name": entry["person"].display_name,
            "centre": str(entry["person"].organisation or ""),
            "last_met_at": entry["meeting"].title,
            "times": entry["times"],
        }
        for entry in selectors.people_met(user)
    ]
    follow_ups = [
        {
            "meeting": follow_up.session.meeting.title,
            "person": follow_up.about.name,
            "reason": follow_up.reason,
            "note": follow_up.note,
            "created_at": follow_up.created_at.isoformat(),
        }
        for follow_up in FollowUp.objects.filter(author=user)
        .select_related("session__meeting", "about__member")
        .order_by("created_at", "pk")
    ]
    return {"speed_networking": {"sessions": sessions, "people_met": people, "follow_ups": follow_ups}}


def seed_demo(stdout) -> None:
    """Draw and play one speed-networking session at the latest past demo meeting (once)."""
    from meetings.enums import MeetingState
    from meetings.models import Meeting

    meeting = (
        Meeting.objects.filter(starts_at__lt=timezone.now())
        .exclude(state=MeetingState.CANCELLED)
        .order_by("-starts_at")
        .first()
    )
    if meeting is None or NetworkingSession.objects.filter(meeting=meeting).exists():
        return
    from django.contrib.auth import get_user_model

    rng = random.Random(2020)
    members = list(get_user_model().objects.approved().order_by("pk"))
    going = set(selectors.going_member_ids(meeting))
    chosen = [m for m in members if m.pk in going] or members
    chosen = chosen[:16]
    if len(chosen) < 4:
        return
    with transaction.atomic():
        session = services.session_create(
            meeting=meeting,
            by=None,
            members=chosen,
            table_size=2,
            rounds=4,
            round_minutes=6,
            prompts=services.default_deck("en"),
        )
        services.session_draw(session=session, by=None, seed=rng.randrange(2**31))
        services.session_transition(session=session, to=SessionState.LIVE, by=None)
        session.refresh_from_db()
        session.current_round = session.rounds
        session.save(update_fields=["current_round"])
        services.session_transition(session=session, to=SessionState.FINISHED, by=None)
        pair = Encounter.objects.filter(session=session).select_related("member_a").first()
        if pair is not None:
            about = session.participants.get(member=pair.member_b_id)
            FollowUp.objects.create(
                session=session,
                author=pair.member_a,
                about=about,
                reason=FollowUpReason.PARTNERSHIP,
                note="Joint job-dating day with our employer partners.",
            )
    stdout.write(f"  drew a speed-networking session at {meeting}")
