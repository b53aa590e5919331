"""Creating, publishing, cancelling, rescheduling and editing meetings."""

import zoneinfo
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import audit
from community.enums import AuditKind
from community.languages import content_language_of
from community.models import User

from .. import signals
from ..enums import AgendaKind, MeetingState
from ..models import AgendaItem, Meeting
from .common import _lock, _record, _refresh
from .rsvp import _promote_waitlist

# The agenda every new meeting starts with: kind and minutes.
STANDARD_AGENDA = (
    (AgendaKind.HOT_NEWS, 20),
    (AgendaKind.BARRIERS, 25),
    (AgendaKind.OPPORTUNITIES, 25),
    (AgendaKind.HUMAN_BOOKSTORE, 40),
)


# The one table of allowed state changes of a meeting.
MEETING_MOVES = {
    (MeetingState.DRAFT, MeetingState.PUBLISHED),
    (MeetingState.DRAFT, MeetingState.CANCELLED),
    (MeetingState.PUBLISHED, MeetingState.CANCELLED),
}


def validate_online_url(url: str) -> None:
    if url and urlsplit(url).scheme.lower() not in {"http", "https"}:
        raise ValidationError(_("The online link must start with http:// or https://."), code="scheme")


# Far enough for any real plan; a typo such as 9999 would otherwise break the next suggested date.
MAX_AHEAD = timedelta(days=5 * 365)


def _validate_schedule(*, starts_at: datetime, duration_minutes: int, now: datetime) -> None:
    if duration_minutes is None or duration_minutes < 1:
        raise ValidationError(_("The meeting must end after it starts."), code="end_before_start")
    if starts_at <= now:
        raise ValidationError(_("This date and time are in the past: choose a moment to come."), code="past")
    if starts_at > now + MAX_AHEAD:
        raise ValidationError(_("A meeting can be scheduled at most five years ahead."), code="too_far")


@transaction.atomic
def meeting_create(
    *,
    by: User,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    time_zone: str,
    description: str = "",
    online_url: str = "",
    place: str = "",
    capacity: int | None = None,
    language: str = "",
    now: datetime | None = None,
) -> Meeting:
    """Create a draft meeting with the standard agenda, described in ``language`` (by default its creator's).

    Side effects: one meeting row and four agenda items. Nothing is sent: drafts are private.
    """
    _validate_schedule(starts_at=starts_at, duration_minutes=duration_minutes, now=now or timezone.now())
    validate_online_url(online_url)
    meeting = Meeting(
        title=title,
        description=description,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        time_zone=time_zone,
        online_url=online_url,
        place=place,
        capacity=capacity,
        language=language or content_language_of(by),
        created_by=by,
    )
    _record(meeting, by=by, reason="created")
    meeting.save(force_insert=True)
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, kind=kind, title=str(kind.label), duration_minutes=minutes, position=index)
        for index, (kind, minutes) in enumerate(STANDARD_AGENDA)
    )
    return meeting


def meeting_transition(*, meeting: Meeting, to: str, by: User, reason: str = "") -> Meeting:
    """The one function that changes a meeting's state (see ``MEETING_MOVES``).

    Publishing makes the meeting visible to members. Cancelling records who, when and
    why, bumps the calendar SEQUENCE. Either sends its signal (``meetings.signals``) inside
    the transaction: reminders queue the change notice after commit, themes go back to the backlog.
    """
    with transaction.atomic():
        locked = _lock(meeting)
        if (locked.state, to) not in MEETING_MOVES:
            raise ValidationError(
                _("A %(from)s meeting cannot become %(to)s.")
                % {"from": locked.get_state_display().lower(), "to": MeetingState(to).label.lower()},
                code="transition",
            )
        now = timezone.now()
        previous = locked.state
        locked.state = to
        fields = ["state", "updated_at"]
        if to == MeetingState.PUBLISHED:
            locked.published_at = now
            fields.append("published_at")
        elif to == MeetingState.CANCELLED:
            if locked.starts_at <= now:
                raise ValidationError(_("A meeting that has already started cannot be cancelled."), code="started")
            reason = reason.strip()
            if not reason:
                raise ValidationError(_("Please give a reason for cancelling."), code="reason")
            locked.cancel_reason = reason
            locked.cancelled_at = now
            locked.cancelled_by = by
            locked.sequence += 1  # the row is locked: no lost update
            fields += ["cancel_reason", "cancelled_at", "cancelled_by", "sequence"]
            audit.record(kind=AuditKind.MEETING_CANCELLED, actor=by, target=locked, note=reason)
        _record(locked, by=by, reason=str(to))
        locked.save(update_fields=fields)
        # Listeners act inside this transaction (see ``meetings.signals``): themes go back to
        # the backlog, reminders queue the change notice on commit.
        if to == MeetingState.CANCELLED:
            signals.meeting_cancelled.send(sender=Meeting, meeting=locked, by=by, previous_state=previous)
        else:
            signals.meeting_published.send(sender=Meeting, meeting=locked, by=by)
    _refresh(meeting, locked, [*fields, "sequence"])
    return meeting


def meeting_publish(*, meeting: Meeting, by: User) -> Meeting:
    """Make a draft visible to members. Side effects: see ``meeting_transition``."""
    return meeting_transition(meeting=meeting, to=MeetingState.PUBLISHED, by=by)


def meeting_cancel(*, meeting: Meeting, reason: str, by: User) -> Meeting:
    """Cancel a meeting with a reason; bumps SEQUENCE and queues the change notice."""
    return meeting_transition(meeting=meeting, to=MeetingState.CANCELLED, by=by, reason=reason)


def meeting_reschedule(
    *,
    meeting: Meeting,
    starts_at: datetime,
    by: User,
    duration_minutes: int | None = None,
    time_zone: str | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Move a meeting to a new start (and length or zone).

    Side effects: SEQUENCE grows so calendars update the same event; a history revision
    records ``by``; the audit trail records the old and new start; for a published meeting
    the change notice is queued after commit (``meeting_rescheduled``; reminders follow the
    new time).
    """
    with transaction.atomic():
        locked = _lock(meeting)
        if locked.state == MeetingState.CANCELLED:
            raise ValidationError(_("A cancelled meeting cannot be rescheduled."), code="cancelled")
        duration = duration_minutes if duration_minutes is not None else locked.duration_minutes
        _validate_schedule(starts_at=starts_at, duration_minutes=duration, now=now or timezone.now())
        note = f"{locked.starts_at.isoformat()} → {starts_at.isoformat()}"
        audit.record(kind=AuditKind.MEETING_RESCHEDULED, actor=by, target=locked, note=note)
        locked.starts_at = starts_at
        locked.duration_minutes = duration
        locked.time_zone = time_zone or locked.time_zone
        locked.sequence += 1  # the row is locked: no lost update
        _record(locked, by=by, reason="rescheduled")
        locked.save(update_fields=["starts_at", "duration_minutes", "time_zone", "sequence", "updated_at"])
        signals.meeting_rescheduled.send(sender=Meeting, meeting=locked, by=by)
    _refresh(meeting, locked, ["starts_at", "duration_minutes", "time_zone", "sequence", "updated_at"])
    return meeting


# Fields whose change calendar apps must see (SEQUENCE grows).
_CALENDAR_FIELDS = {"title", "description", "online_url", "place"}


EDITABLE_FIELDS = {"title", "description", "language", "online_url", "place", "capacity"}


def meeting_update(
    *,
    meeting: Meeting,
    by: User,
    starts_at: datetime | None = None,
    duration_minutes: int | None = None,
    time_zone: str | None = None,
    now: datetime | None = None,
    **changes,
) -> Meeting:
    """Edit a meeting's details; a new start, length or zone goes through ``meeting_reschedule``.

    Side effects: raising the capacity offers the freed places to the waiting list in order.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"meeting_update() got unexpected fields {sorted(unknown)}")
    validate_online_url(changes.get("online_url", ""))
    with transaction.atomic():
        locked = _lock(meeting)
        if locked.state == MeetingState.CANCELLED:
            raise ValidationError(_("A cancelled meeting cannot be edited."), code="cancelled")
        changed = [field for field, value in changes.items() if getattr(locked, field) != value]
        moved = (starts_at is not None and starts_at != locked.starts_at) or (
            duration_minutes is not None and duration_minutes != locked.duration_minutes
        )
        for field in changed:
            setattr(locked, field, changes[field])
        if changed:
            fields = [*changed, "updated_at"]
            # A reschedule bumps SEQUENCE itself: one change, one bump.
            if _CALENDAR_FIELDS & set(changed) and not moved:
                locked.sequence += 1  # the row is locked: no lost update
                fields.append("sequence")
            _record(locked, by=by, reason="edited")
            locked.save(update_fields=fields)
        if "capacity" in changed:
            _promote_waitlist(locked)
        if moved:
            meeting_reschedule(
                meeting=locked,
                starts_at=starts_at or locked.starts_at,
                by=by,
                duration_minutes=duration_minutes,
                time_zone=time_zone,
                now=now,
            )
        elif time_zone and time_zone != locked.time_zone:
            locked.time_zone = time_zone
            _record(locked, by=by, reason="edited")
            locked.save(update_fields=["time_zone", "updated_at"])
    meeting.refresh_from_db()
    return meeting


def suggested_start(*, last: Meeting | None, now: datetime, months: int = 2) -> datetime | None:
    """Two months after the last meeting, at the same local time in its zone (DST-aware),
    moved on by two months more until it is in the future."""
    if last is None:
        return None
    zone = zoneinfo.ZoneInfo(last.time_zone)
    local = last.starts_at.astimezone(zone).replace(tzinfo=None)
    step = 1
    while True:
        try:
            candidate = (local + relativedelta(months=months * step)).replace(tzinfo=zone)
        except (OverflowError, ValueError):  # past the last year a date can hold
            return None
        if candidate > now:
            return candidate
        step += 1
        if step > 600:  # a last meeting a century ago: give up rather than loop
            return None
