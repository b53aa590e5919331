"""A meeting's reminder settings and the delivery rows: which may be sent now, creating them."""

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from meetings.enums import MeetingState, RSVPResponse
from meetings.models import RSVP, Meeting

from .. import schedule
from ..enums import DeliveryKind, DeliveryStatus
from ..models import Delivery, ReminderSettings

REMINDER_RESPONSES = (RSVPResponse.GOING, RSVPResponse.MAYBE)


NOTICE_RESPONSES = (RSVPResponse.GOING, RSVPResponse.MAYBE, RSVPResponse.WAITLISTED)


CHANGES = (DeliveryKind.RESCHEDULED, DeliveryKind.CANCELLED)


GAVE_UP = "Given up after the maximum number of attempts."


def reminder_offsets(meeting: Meeting) -> list[int]:
    """The meeting's reminder offsets in minutes, largest first (the defaults without a settings row)."""
    try:
        return sorted(meeting.reminder_settings.offsets, reverse=True)
    except ObjectDoesNotExist:
        return sorted(settings.REMINDER_DEFAULT_OFFSETS, reverse=True)


def reminder_settings_update(*, meeting: Meeting, offsets: list[int], by) -> ReminderSettings:
    """Set when the meeting's reminders go out.

    Side effects: none at once. The next dispatch tick follows the new list; rows already created
    for an offset that is no longer in the list are closed (never sent); sent reminders stay sent.
    """
    cleaned = sorted({int(offset) for offset in offsets}, reverse=True)
    if any(not schedule.MIN_OFFSET <= offset <= schedule.MAX_OFFSET for offset in cleaned):
        raise ValidationError("Reminder offsets out of range.", code="range")
    row, _created = ReminderSettings.objects.update_or_create(
        meeting=meeting, defaults={"offsets": cleaned, "updated_by": by}
    )
    return row


def _open_q(now: datetime) -> Q:
    """Rows nobody holds: waiting, or claimed by a sender that has not finished in time (it died)."""
    stale = now - timedelta(minutes=settings.REMINDER_CLAIM_TIMEOUT_MINUTES)
    return Q(status=DeliveryStatus.PENDING) | Q(status=DeliveryStatus.CLAIMED, claimed_at__lt=stale)


def _worn_out_q() -> Q:
    """Rows tried as often as allowed (e.g. a message that kills its worker each time)."""
    return Q(attempts__gte=settings.REMINDER_MAX_ATTEMPTS)


def _sendable_q(meeting: Meeting, now: datetime) -> Q:
    """The rows of this meeting that may go out at ``now``, given the meeting as loaded."""
    if meeting.state == MeetingState.CANCELLED:
        return Q(kind=DeliveryKind.CANCELLED, starts_at__gt=now)
    if meeting.state != MeetingState.PUBLISHED or meeting.starts_at <= now:
        return Q(pk__in=[])
    window = schedule.due_window(starts_at=meeting.starts_at, now=now)
    due = [offset for offset in reminder_offsets(meeting) if window.moment(offset) is schedule.Moment.DUE]
    return Q(kind=DeliveryKind.REMINDER, offset_minutes__in=due) | Q(
        kind=DeliveryKind.RESCHEDULED, starts_at=meeting.starts_at
    )


def _never_sendable_q(meeting: Meeting, now: datetime) -> Q:
    """The rows of this meeting that can no longer go out, whatever happens next."""
    cancelled_notice_passed = Q(kind=DeliveryKind.CANCELLED, starts_at__lte=now)
    if meeting.state != MeetingState.PUBLISHED or meeting.starts_at <= now:
        # Cancelled, back to draft or started: no reminder, no notice of a new date.
        return ~Q(kind=DeliveryKind.CANCELLED) | cancelled_notice_passed
    window = schedule.due_window(starts_at=meeting.starts_at, now=now)
    offsets = reminder_offsets(meeting)
    return (
        Q(kind=DeliveryKind.REMINDER) & (Q(offset_minutes__gt=window.highest) | ~Q(offset_minutes__in=offsets))
        # A notice of a new date that has since changed again: the newer notice replaces it.
        | (Q(kind=DeliveryKind.RESCHEDULED) & ~Q(starts_at=meeting.starts_at))
        | Q(kind=DeliveryKind.CANCELLED)
    )


def _approved_members():
    return get_user_model().objects.approved().exclude(email="")


def _reminder_rows_create(*, meeting: Meeting, offset: int, include_unanswered: bool) -> int:
    """Rows for one due reminder: going/maybe, plus (first reminder) approved members who have not answered."""
    answers = RSVP.objects.filter(meeting=meeting, member=OuterRef("pk"))
    wanted = Exists(answers.filter(response__in=REMINDER_RESPONSES))
    if include_unanswered:
        wanted |= ~Exists(answers)
    existing = Delivery.objects.filter(
        meeting=meeting, member=OuterRef("pk"), kind=DeliveryKind.REMINDER, offset_minutes=offset
    )
    member_ids = (
        _approved_members().filter(wanted, notify_reminders=True).filter(~Exists(existing)).values_list("pk", flat=True)
    )
    rows = [
        Delivery(
            meeting=meeting,
            member_id=member_id,
            kind=DeliveryKind.REMINDER,
            offset_minutes=offset,
            starts_at=meeting.starts_at,
        )
        for member_id in member_ids
    ]
    # A concurrent dispatcher may have inserted some of them meanwhile: the constraint keeps one.
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def change_notice_create(*, meeting: Meeting, change: str) -> int:
    """Rows for a notice that the meeting moved or was cancelled, to members going, maybe or waitlisted.

    Idempotent: one row per member per change (a change is told apart by the start it announces or
    cancels). Does nothing if the meeting's state does not match the change any more.
    """
    if change not in CHANGES:
        raise ValueError(f"Unknown change {change!r}.")
    expected = MeetingState.CANCELLED if change == DeliveryKind.CANCELLED else MeetingState.PUBLISHED
    if meeting.state != expected:
        return 0
    member_ids = (
        _approved_members()
        .filter(rsvps__meeting=meeting, rsvps__response__in=NOTICE_RESPONSES, notify_meeting_changes=True)
        .values_list("pk", flat=True)
    )
    rows = [
        Delivery(meeting=meeting, member_id=member_id, kind=change, starts_at=meeting.starts_at)
        for member_id in member_ids
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def change_notice_enqueue(*, meeting: Meeting, change: str) -> None:
    """Queue the notice of a reschedule or cancellation once the current transaction commits.

    Call it from the service that changes the meeting, inside its transaction: if the transaction
    rolls back, nothing is sent.
    """
    from ..tasks import send_meeting_change_notice

    if change not in CHANGES:
        raise ValueError(f"Unknown change {change!r}.")
    transaction.on_commit(partial(send_meeting_change_notice.delay, meeting_id=meeting.pk, change=str(change)))


def _meetings_with_settings():
    return Meeting.objects.select_related("reminder_settings")
