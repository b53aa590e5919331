"""Every write on meetings: scheduling, the agenda, RSVPs, attendance, minutes, resources, feeds.

Functions take keyword-only arguments, raise ``django.core.exceptions.ValidationError``
(or its subclass ``RSVPRefused``) with a message for the member when a rule refuses
the change, and lock the rows they read-then-write.
"""

import zoneinfo
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import urlsplit

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.enums import AuditKind
from community import extensions
from community.models import User

from .enums import AgendaKind, MeetingState, RSVPResponse
from .models import RSVP, AgendaItem, Attendance, CalendarFeed, Meeting, Minutes, Resource, new_calendar_token
from .uploads import validate_upload

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


class RSVPRefused(ValidationError):
    """An answer the rules do not allow (meeting full, closed, not published)."""


class MeetingFull(RSVPRefused):
    """No place left: the member may join the waiting list instead."""


def _queue_change_notice(meeting: Meeting, change: str) -> None:
    """Tell the members concerned about a reschedule or cancellation, once the transaction commits."""
    from .reminders.services import change_notice_enqueue

    change_notice_enqueue(meeting=meeting, change=change)


def validate_online_url(url: str) -> None:
    if url and urlsplit(url).scheme.lower() not in {"http", "https"}:
        raise ValidationError(_("The online link must start with http:// or https://."), code="scheme")


# Far enough for any real plan; a typo such as 9999 would otherwise break the next suggested date.
MAX_AHEAD = timedelta(days=5 * 365)


def _validate_schedule(*, starts_at: datetime, duration_minutes: int, now: datetime) -> None:
    if duration_minutes is None or duration_minutes < 1:
        raise ValidationError(_("The meeting must end after it starts."), code="end_before_start")
    if starts_at <= now:
        raise ValidationError(_("A meeting cannot be scheduled in the past."), code="past")
    if starts_at > now + MAX_AHEAD:
        raise ValidationError(_("A meeting can be scheduled at most five years ahead."), code="too_far")


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _refresh(target: Meeting, source: Meeting, fields: Iterable[str]) -> None:
    for field in fields:
        setattr(target, field, getattr(source, field))


# --- scheduling -------------------------------------------------------------------------------


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
    now: datetime | None = None,
) -> Meeting:
    """Create a draft meeting with the standard agenda.

    Side effects: one meeting row and four agenda items. Nothing is sent: drafts are private.
    """
    _validate_schedule(starts_at=starts_at, duration_minutes=duration_minutes, now=now or timezone.now())
    validate_online_url(online_url)
    meeting = Meeting.objects.create(
        title=title,
        description=description,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        time_zone=time_zone,
        online_url=online_url,
        place=place,
        capacity=capacity,
        created_by=by,
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, kind=kind, title=str(kind.label), duration_minutes=minutes, position=index)
        for index, (kind, minutes) in enumerate(STANDARD_AGENDA)
    )
    return meeting


def meeting_transition(*, meeting: Meeting, to: str, by: User, reason: str = "") -> Meeting:
    """The one function that changes a meeting's state (see ``MEETING_MOVES``).

    Publishing makes the meeting visible to members. Cancelling records who, when and
    why, bumps the calendar SEQUENCE and queues the change notice after commit.
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
            locked.sequence = F("sequence") + 1
            fields += ["cancel_reason", "cancelled_at", "cancelled_by", "sequence"]
            audit.record(kind=AuditKind.MEETING_CANCELLED, actor=by, target=locked, note=reason)
        locked.save(update_fields=fields)
        locked.refresh_from_db(fields=["sequence"])
        if to == MeetingState.CANCELLED:
            # Other apps let go of what they had placed on the meeting (themes go back to the backlog).
            extensions.call_all("meeting_cancelled", meeting=locked, by=by)
            if previous == MeetingState.PUBLISHED:
                _queue_change_notice(locked, "cancelled")
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

    Side effects: SEQUENCE grows so calendars update the same event; the audit trail records
    the old and new start; for a published
    meeting the change notice is queued after commit (reminders follow the new time).
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
        locked.sequence = F("sequence") + 1
        locked.save(update_fields=["starts_at", "duration_minutes", "time_zone", "sequence", "updated_at"])
        locked.refresh_from_db(fields=["sequence"])
        if locked.state == MeetingState.PUBLISHED:
            _queue_change_notice(locked, "rescheduled")
    _refresh(meeting, locked, ["starts_at", "duration_minutes", "time_zone", "sequence", "updated_at"])
    return meeting


# Fields whose change calendar apps must see (SEQUENCE grows).
_CALENDAR_FIELDS = {"title", "description", "online_url", "place"}
_EDITABLE_FIELDS = {"title", "description", "online_url", "place", "capacity"}


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
    unknown = set(changes) - _EDITABLE_FIELDS
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
                locked.sequence = F("sequence") + 1
                fields.append("sequence")
            locked.save(update_fields=fields)
            locked.refresh_from_db(fields=["sequence"])
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
            locked.save(update_fields=["time_zone", "updated_at"])
    meeting.refresh_from_db()
    return meeting


# --- agenda ----------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    kind: str = AgendaKind.OTHER,
    duration_minutes: int = 20,
    leads: Iterable[User] = (),
) -> AgendaItem:
    """Append an item at the end of the agenda."""
    _lock(meeting)
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
    item = AgendaItem.objects.create(
        meeting=meeting,
        kind=kind,
        title=title,
        duration_minutes=duration_minutes,
        position=0 if last is None else last + 1,
    )
    item.leads.set(leads)
    return item


@transaction.atomic
def agenda_item_update(
    *, item: AgendaItem, by: User, title: str, kind: str, duration_minutes: int, leads: Iterable[User]
) -> AgendaItem:
    """Change an item's title, kind, length and leading members."""
    item.title, item.kind, item.duration_minutes = title, kind, duration_minutes
    item.save(update_fields=["title", "kind", "duration_minutes"])
    item.leads.set(leads)
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, by: User) -> None:
    """Delete an item (and its minutes) and close the gap in the positions."""
    meeting = _lock(item.meeting)
    item.delete()
    _renumber(meeting)


def _renumber(meeting: Meeting) -> list[AgendaItem]:
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))
    for index, each in enumerate(items):
        each.position = index
    AgendaItem.objects.bulk_update(items, ["position"])
    return items


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, by: User, direction: str) -> None:
    """Swap an item with its neighbour above (``"up"``) or below (``"down"``)."""
    _lock(item.meeting)
    items = _renumber(item.meeting)
    index = next(i for i, each in enumerate(items) if each.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index].position, items[other].position = items[other].position, items[index].position
        AgendaItem.objects.bulk_update([items[index], items[other]], ["position"])


# --- RSVP ------------------------------------------------------------------------------------


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
    if promoted:
        from .tasks import send_waitlist_promotion

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


# --- after the meeting -----------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, meeting: Meeting, present: Iterable[User], by: User) -> set[int]:
    """Replace the attendance list of a meeting that has started. Returns the ids present."""
    locked = _lock(meeting)
    if locked.state != MeetingState.PUBLISHED or locked.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded once a published meeting has started."), code="early")
    wanted = {user.pk for user in present}
    existing = set(Attendance.objects.filter(meeting=locked).values_list("member_id", flat=True))
    Attendance.objects.filter(meeting=locked, member_id__in=existing - wanted).delete()
    Attendance.objects.bulk_create(
        Attendance(meeting=locked, member_id=pk, recorded_by=by) for pk in sorted(wanted - existing)
    )
    return wanted


@transaction.atomic
def minutes_save(*, item: AgendaItem, text: str, by: User) -> Minutes | None:
    """Write the minutes of one agenda item; a revision (who, when, what) is kept for each change.

    Nothing is written (and no revision made) when the text did not change, or when an
    item without minutes is left empty.
    """
    _lock(item.meeting)
    minutes = Minutes.objects.filter(agenda_item=item).first()
    if minutes is None:
        if not text:
            return None
        minutes = Minutes(agenda_item=item)
    elif minutes.text == text:
        return minutes
    minutes.text = text
    minutes.updated_by = by
    minutes._history_user = by
    minutes.save()
    return minutes


def minutes_publish(*, meeting: Meeting, by: User, published: bool = True) -> Meeting:
    """Show the minutes to members (or hide them again)."""
    with transaction.atomic():
        locked = _lock(meeting)
        locked.minutes_published_at = timezone.now() if published else None
        locked.minutes_published_by = by if published else None
        locked.save(update_fields=["minutes_published_at", "minutes_published_by", "updated_at"])
    _refresh(meeting, locked, ["minutes_published_at", "minutes_published_by_id"])
    return meeting


# --- resources -------------------------------------------------------------------------------


def resource_add(
    *, meeting: Meeting, by: User, title: str, description: str = "", url: str = "", file=None
) -> Resource:
    """Attach a tool or method shown at the meeting: a link or a checked upload."""
    if not url and not file:
        raise ValidationError(_("Give a link or choose a file."), code="empty")
    if url and file:
        raise ValidationError(_("Give either a link or a file, not both."), code="both")
    if url:
        validate_online_url(url)
    if file:
        validate_upload(file)
    return Resource.objects.create(
        meeting=meeting, title=title, description=description, url=url, file=file or "", added_by=by
    )


def resource_remove(*, resource: Resource, by: User) -> None:
    """Delete a resource and its stored file."""
    if resource.file:
        resource.file.delete(save=False)
    resource.delete()


# --- calendar feed ---------------------------------------------------------------------------


def calendar_feed_get(*, member: User) -> CalendarFeed:
    """The member's feed, created with a fresh secret token the first time."""
    feed, _created = CalendarFeed.objects.get_or_create(member=member)
    return feed


def calendar_feed_url(*, member: User) -> str:
    """The absolute address of the member's personal feed (created on first use)."""
    token = calendar_feed_get(member=member).token
    return settings.SITE_URL + reverse("meetings:feed", args=[token])


def calendar_feed_regenerate(*, member: User) -> CalendarFeed:
    """Replace the secret token: the old feed address stops working at once."""
    feed = calendar_feed_get(member=member)
    feed.token = new_calendar_token()
    feed.save(update_fields=["token", "created_at"])
    return feed


# --- personal data ---------------------------------------------------------------------------


@transaction.atomic
def member_data_erase(*, member: User) -> None:
    """Before an account is deleted: free the member's places (promoting the waiting list);
    keep their resources and minutes, credited to nobody ("a former member")."""
    upcoming = RSVP.objects.filter(
        member=member, response=RSVPResponse.GOING, meeting__starts_at__gt=timezone.now()
    ).values_list("meeting_id", flat=True)
    for meeting in Meeting.objects.filter(pk__in=list(upcoming)).order_by("pk"):
        locked = _lock(meeting)
        RSVP.objects.filter(meeting=locked, member=member).delete()
        _promote_waitlist(locked)
    Resource.objects.filter(added_by=member).update(added_by=None)
    Minutes.objects.filter(updated_by=member).update(updated_by=None)
    Minutes.history.filter(history_user=member).update(history_user=None)
    Minutes.history.filter(updated_by=member).update(updated_by=None)


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
