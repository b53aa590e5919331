"""Members' answers to a meeting, its capacity and the waiting list."""

from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from community.fragments import MEMBER_PAGES
from community.models import User

from ..enums import MeetingState, RSVPResponse
from ..models import RSVP, Meeting
from .common import _lock


class RSVPRefused(ValidationError):
    """An answer the rules do not allow (meeting full, closed, not published)."""


class MeetingFull(RSVPRefused):
    """No place left: the member may join the waiting list instead."""


def _going_count(meeting: Meeting) -> int:
    return RSVP.objects.filter(meeting=meeting, response=RSVPResponse.GOING).count()


def _promote_waitlist(meeting: Meeting) -> list[RSVP]:
    """Offer the free places to the waiting list, first come first served. Caller holds the lock."""
    if meeting.capacity is None:
        free = None
    else:
        free = meeting.capacity - _going_count(meeting)
        if free <= 0:
            return []
    waiting = RSVP.objects.filter(meeting=meeting, response=RSVPResponse.WAITLISTED).order_by(
        F("waitlisted_at").asc(nulls_last=True), "updated_at", "pk"
    )
    promoted = list(waiting if free is None else waiting[:free])
    now = timezone.now()
    for rsvp in promoted:
        rsvp.response = RSVPResponse.GOING
        rsvp.waitlisted_at = None
        rsvp.updated_at = now
    RSVP.objects.bulk_update(promoted, ["response", "waitlisted_at", "updated_at"])
    MEMBER_PAGES.changed()  # a bulk write sends no signal
    if promoted:
        from ..tasks import send_waitlist_promotion

        transaction.on_commit(
            partial(send_waitlist_promotion.delay, meeting_id=meeting.pk, member_ids=[r.member_id for r in promoted])
        )
    return promoted


def rsvp_set(
    *,
    meeting: Meeting,
    member: User,
    response: str,
    waitlist_if_full: bool = False,
    now: datetime | None = None,
) -> RSVP:
    """Record a member's answer, enforcing the capacity.

    The meeting row is locked so that two members taking the last place at the same
    moment cannot both get it. ``GOING`` on a full meeting raises ``MeetingFull``
    (or, with ``waitlist_if_full``, joins the waiting list); ``WAITLISTED`` joins the
    waiting list (or takes a place if one is free). Leaving a place offers it to the
    first member on the waiting list.
    """
    now = now or timezone.now()
    response = RSVPResponse(response)
    with transaction.atomic():
        locked = _lock(meeting)
        if locked.state != MeetingState.PUBLISHED:
            raise RSVPRefused(_("Answers are only open for published meetings."), code="closed")
        if now >= locked.starts_at:
            raise RSVPRefused(_("The meeting has started: answers are closed."), code="started")
        rsvp = RSVP.objects.filter(meeting=locked, member=member).first()
        previous = rsvp.response if rsvp else None
        if response == previous:
            return rsvp
        has_room = locked.capacity is None or _going_count(locked) < locked.capacity
        if response == RSVPResponse.GOING and not has_room and waitlist_if_full:
            response = RSVPResponse.WAITLISTED
            if previous == response:
                return rsvp
        if response == RSVPResponse.GOING and not has_room:
            raise MeetingFull(_("This meeting is full. You can join the waiting list."), code="full")
        waitlisted_at = None
        if response == RSVPResponse.WAITLISTED:
            if previous == RSVPResponse.GOING:
                return rsvp
            if has_room:
                response = RSVPResponse.GOING
            else:
                waitlisted_at = now
        if rsvp is None:
            rsvp = RSVP.objects.create(meeting=locked, member=member, response=response, waitlisted_at=waitlisted_at)
        else:
            rsvp.response, rsvp.waitlisted_at = response, waitlisted_at
            rsvp.save(update_fields=["response", "waitlisted_at", "updated_at"])
        if previous == RSVPResponse.GOING:
            _promote_waitlist(locked)
    return rsvp
