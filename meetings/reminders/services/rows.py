"""A meeting's reminder settings and versions, the delivery rows: which may be sent now, creating them."""

from datetime import datetime, timedelta
from email.utils import make_msgid
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from meetings.enums import MeetingState, RSVPResponse
from meetings.models import RSVP, Meeting

from .. import schedule
from ..enums import OPEN_STATUSES, DeliveryKind, DeliveryStatus
from ..models import Delivery, ReminderSettings

REMINDER_RESPONSES = (RSVPResponse.GOING, RSVPResponse.MAYBE)


NOTICE_RESPONSES = (RSVPResponse.GOING, RSVPResponse.MAYBE, RSVPResponse.WAITLISTED)


CHANGES = (DeliveryKind.RESCHEDULED, DeliveryKind.CANCELLED)


GAVE_UP = "Given up after the maximum number of attempts."
# Errors after which the whole batch is worth retrying later (server down, connection lost).


def reminder_offsets(meeting: Meeting) -> list[int]:
    """The meeting's reminder offsets in minutes, largest first (the defaults without a settings row)."""
    try:
        return sorted(meeting.reminder_settings.offsets, reverse=True)
    except ObjectDoesNotExist:
        return sorted(settings.REMINDER_DEFAULT_OFFSETS, reverse=True)


def schedule_version(meeting: Meeting) -> int:
    """The version of the meeting's schedule that reminders and notices of a new date are about."""
    try:
        return meeting.reminder_settings.schedule_version
    except ObjectDoesNotExist:
        return 0


def schedule_version_record(*, meeting: Meeting) -> None:
    """Start a new schedule version: the meeting's SEQUENCE as it is after the reschedule.

    Call it inside the transaction that moves the meeting, so that no dispatcher ever sees the new
    start with the old version. Side effects: open rows of the older version are closed as
    superseded by the next dispatch or send; reminders of the new version are created when due.
    """
    ReminderSettings.objects.update_or_create(meeting=meeting, defaults={"schedule_version": meeting.sequence})
    meeting._state.fields_cache.pop("reminder_settings", None)


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


def _message_id(*, kind: str, meeting_id: int, member_id: int, offset: int, version: int) -> str:
    """A Message-ID for one delivery, made once when its row is created (every attempt reuses it)."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return make_msgid(idstring=f"{kind}.{meeting_id}.{member_id}.{offset}.{version}", domain=domain)


def delivery_message_id(row: Delivery) -> str:
    """The row's stored Message-ID (rows made before it was stored get one derived from their id)."""
    if row.message_id:
        return row.message_id
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<delivery.{row.pk}.{row.version}@{domain}>"


def _open_q(now: datetime) -> Q:
    """Rows nobody holds: waiting, or claimed by a sender that has not finished in time (it died)."""
    stale = now - timedelta(minutes=settings.REMINDER_CLAIM_TIMEOUT_MINUTES)
    return Q(status=DeliveryStatus.PENDING) | Q(status=DeliveryStatus.CLAIMED, claimed_at__lt=stale)


def _worn_out_q() -> Q:
    """Rows tried as often as allowed (e.g. a message that kills its worker each time)."""
    return Q(attempts__gte=settings.REMINDER_MAX_ATTEMPTS)


def _start_margin(slowest: float = 0.0) -> timedelta:
    """How long before the start the last message may begin, so that none is accepted after it."""
    return timedelta(seconds=max(settings.REMINDER_START_MARGIN_SECONDS, 2 * slowest))


def _too_late(meeting: Meeting, now: datetime, slowest: float = 0.0) -> bool:
    return now + _start_margin(slowest) >= meeting.starts_at


def _sendable_q(meeting: Meeting, now: datetime) -> Q:
    """The rows of this meeting that may go out at ``now``, given the meeting as loaded."""
    if meeting.state == MeetingState.CANCELLED:
        return Q(kind=DeliveryKind.CANCELLED, starts_at__gt=now)
    if meeting.state != MeetingState.PUBLISHED:
        return Q(pk__in=[])
    # The summary goes after the meeting, while its minutes are published.
    sendable = Q(kind=DeliveryKind.SUMMARY) if meeting.minutes_published_at else Q(pk__in=[])
    if _too_late(meeting, now):
        return sendable
    version = schedule_version(meeting)
    window = schedule.due_window(starts_at=meeting.starts_at, now=now)
    due = [offset for offset in reminder_offsets(meeting) if window.moment(offset) is schedule.Moment.DUE]
    return (
        sendable
        | Q(kind=DeliveryKind.REMINDER, version=version, offset_minutes__in=due)
        | Q(kind=DeliveryKind.RESCHEDULED, version=version)
        | Q(kind=DeliveryKind.ANNOUNCEMENT)
    )


def _superseded_q(meeting: Meeting) -> Q:
    """Reminders and notices of a new date about a schedule the meeting has left since."""
    if meeting.state != MeetingState.PUBLISHED:
        return Q(pk__in=[])
    return Q(kind__in=(DeliveryKind.REMINDER, DeliveryKind.RESCHEDULED)) & ~Q(version=schedule_version(meeting))


def _never_sendable_q(meeting: Meeting, now: datetime) -> Q:
    """The rows of this meeting that can no longer go out, whatever happens next.

    A summary waits while the minutes are hidden (they may be published again); an announcement
    goes only before the start, of a meeting still published.
    """
    cancelled_notice_passed = Q(kind=DeliveryKind.CANCELLED, starts_at__lte=now)
    if meeting.state != MeetingState.PUBLISHED:
        # Cancelled or back to draft: no reminder, no notice of a new date, no announcement, no summary.
        return ~Q(kind=DeliveryKind.CANCELLED) | cancelled_notice_passed
    if _too_late(meeting, now):
        # (About to be) started: only the summary may still go.
        return ~Q(kind=DeliveryKind.SUMMARY)
    window = schedule.due_window(starts_at=meeting.starts_at, now=now)
    offsets = reminder_offsets(meeting)
    return (
        Q(kind=DeliveryKind.REMINDER) & (Q(offset_minutes__gt=window.highest) | ~Q(offset_minutes__in=offsets))
    ) | Q(kind=DeliveryKind.CANCELLED)


def _rows_close(meeting: Meeting, now: datetime) -> int:
    """Close the meeting's open rows that will never go out: superseded first, then skipped."""
    rows = Delivery.objects.filter(_open_q(now), meeting=meeting)
    closed = rows.filter(_superseded_q(meeting)).update(
        status=DeliveryStatus.SUPERSEDED, claimed_at=None, claim_token=""
    )
    return closed + rows.filter(_never_sendable_q(meeting, now)).update(
        status=DeliveryStatus.SKIPPED, claimed_at=None, claim_token=""
    )


def _approved_members():
    return get_user_model().objects.approved().exclude(email="")


def _reminder_rows_create(*, meeting: Meeting, offset: int) -> int:
    """Rows for one due reminder of the current schedule version.

    They go to members going or maybe, and to approved members who have not answered and have no
    reminder of this version that went out or may still go out: so the first reminder that does go
    out invites them, whichever it is (also when an earlier one was missed past its grace window).
    """
    version = schedule_version(meeting)
    answers = RSVP.objects.filter(meeting=meeting, member=OuterRef("pk"))
    invited = Delivery.objects.filter(
        meeting=meeting,
        member=OuterRef("pk"),
        kind=DeliveryKind.REMINDER,
        version=version,
        status__in=(*OPEN_STATUSES, DeliveryStatus.SENT),
    )
    wanted = Exists(answers.filter(response__in=REMINDER_RESPONSES)) | (~Exists(answers) & ~Exists(invited))
    existing = Delivery.objects.filter(
        meeting=meeting, member=OuterRef("pk"), kind=DeliveryKind.REMINDER, version=version, offset_minutes=offset
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
            version=version,
            starts_at=meeting.starts_at,
            message_id=_message_id(
                kind=DeliveryKind.REMINDER, meeting_id=meeting.pk, member_id=member_id, offset=offset, version=version
            ),
        )
        for member_id in member_ids
    ]
    # A concurrent dispatcher may have inserted some of them meanwhile: the constraint keeps one.
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def change_notice_create(*, meeting: Meeting, change: str) -> int:
    """Rows for a notice that the meeting moved or was cancelled, to members going, maybe or waitlisted.

    Idempotent: one row per member per version (a notice of a new date is about the schedule
    version, a cancellation about the SEQUENCE it set). Does nothing if the meeting's state does
    not match the change any more. When the meeting moved twice before this runs, the notice is
    about the latest date (the older notice is superseded).
    """
    if change not in CHANGES:
        raise ValueError(f"Unknown change {change!r}.")
    expected = MeetingState.CANCELLED if change == DeliveryKind.CANCELLED else MeetingState.PUBLISHED
    if meeting.state != expected:
        return 0
    version = meeting.sequence if change == DeliveryKind.CANCELLED else schedule_version(meeting)
    member_ids = (
        _approved_members()
        .filter(rsvps__meeting=meeting, rsvps__response__in=NOTICE_RESPONSES, notify_meeting_changes=True)
        .values_list("pk", flat=True)
    )
    rows = [
        Delivery(
            meeting=meeting,
            member_id=member_id,
            kind=change,
            version=version,
            starts_at=meeting.starts_at,
            message_id=_message_id(kind=change, meeting_id=meeting.pk, member_id=member_id, offset=0, version=version),
        )
        for member_id in member_ids
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def change_notice_enqueue(*, meeting: Meeting, change: str) -> None:
    """Queue the notice of a reschedule or cancellation once the current transaction commits.

    Call it from the service that changes the meeting, inside its transaction: if the transaction
    rolls back, nothing is sent.
    """
    from ..tasks import queue_change_notice

    if change not in CHANGES:
        raise ValueError(f"Unknown change {change!r}.")
    transaction.on_commit(partial(queue_change_notice, meeting_id=meeting.pk, change=str(change)))


def _meetings_with_settings():
    return Meeting.objects.select_related("reminder_settings")


def _once_rows_create(*, meeting: Meeting, kind: str, member_ids) -> int:
    """One row of ``kind`` per member (the constraint keeps one, whoever inserts it first)."""
    rows = [
        Delivery(
            meeting=meeting,
            member_id=member_id,
            kind=kind,
            version=meeting.sequence,
            starts_at=meeting.starts_at,
            message_id=_message_id(kind=kind, meeting_id=meeting.pk, member_id=member_id, offset=0, version=0),
        )
        for member_id in member_ids
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def meeting_announcement_create(*, meeting: Meeting) -> int:
    """Rows announcing a published meeting to the approved members who want new meetings right away.

    Call it inside the publication's transaction (it rolls back with it); members who gather new
    meetings in a digest find the meeting there instead (see ``digests``). Idempotent: one row
    per member per meeting, ever. Returns the number of rows asked for.
    """
    from community.enums import NotificationFrequency

    if meeting.state != MeetingState.PUBLISHED:
        return 0
    member_ids = _approved_members().filter(meeting_news_frequency=NotificationFrequency.IMMEDIATE)
    return _once_rows_create(
        meeting=meeting, kind=DeliveryKind.ANNOUNCEMENT, member_ids=member_ids.values_list("pk", flat=True)
    )


def meeting_summary_create(*, meeting: Meeting) -> int:
    """Rows for the summary of a meeting whose minutes are published: to the members recorded
    present and those who answered going or maybe.

    Idempotent: one row per member per meeting, ever (hiding the minutes and publishing them again
    sends nothing new to those who had one). Rows stay waiting while the minutes are hidden.
    """
    if meeting.state != MeetingState.PUBLISHED or meeting.minutes_published_at is None:
        return 0
    concerned = Q(attendances__meeting=meeting) | Q(rsvps__meeting=meeting, rsvps__response__in=REMINDER_RESPONSES)
    member_ids = _approved_members().filter(concerned).values_list("pk", flat=True).distinct()
    return _once_rows_create(meeting=meeting, kind=DeliveryKind.SUMMARY, member_ids=list(member_ids))


def deliveries_send_enqueue(*, meeting: Meeting) -> None:
    """Hand the meeting's sendable rows to a send task once the current transaction commits.

    If the task is lost (the broker, a worker), the next beat tick hands the open rows out again.
    """
    from ..tasks import queue_send

    transaction.on_commit(partial(queue_send, meeting_id=meeting.pk))
