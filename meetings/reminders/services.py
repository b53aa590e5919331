"""Reminders and change notices: create delivery rows, claim them, send, record the outcome.

The flow, and why each step is safe to repeat:

1. ``reminders_dispatch`` (every few minutes, from beat) creates the delivery rows that are due,
   under a unique constraint, so two ticks or two dispatchers create each row once. It also
   closes rows that can no longer be sent and hands out send tasks for the rest.
2. A send task calls ``deliveries_send``: it claims a batch of rows in a short transaction
   (``select_for_update(skip_locked=True)``), so two senders never hold the same row; it sends
   the batch over one connection, one message at a time, and marks each row sent right after the
   server accepted its message. A claim older than ``REMINDER_CLAIM_TIMEOUT_MINUTES`` (its worker
   died) is open again. The only duplicate left possible is a worker killed after the server
   accepted a message and before the database recorded it: that one message, once.
3. Every row is about one version of the meeting (``Delivery.version``) and is checked against
   the meeting as it is *now*, right before its message: a reschedule starts a new version (its
   reminders and notice), the rows of the old one are superseded, a cancellation closes the
   reminders, a reminder past its grace window is skipped, nothing begins too close to the start.
"""

import logging
import math
import signal
import smtplib
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import make_msgid
from functools import partial
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, Subquery, TextField, Value, When
from django.utils import timezone

from community.enums import NotificationKind
from community.notifications import build_message

from ..enums import MeetingState, RSVPResponse
from ..ical import meeting_ics, meeting_url
from ..models import RSVP, AgendaItem, Meeting
from . import schedule
from .enums import OPEN_STATUSES, DeliveryKind, DeliveryStatus
from .models import Delivery, ReminderSettings
from .signing import rsvp_urls

logger = logging.getLogger(__name__)

REMINDER_RESPONSES = (RSVPResponse.GOING, RSVPResponse.MAYBE)
NOTICE_RESPONSES = (RSVPResponse.GOING, RSVPResponse.MAYBE, RSVPResponse.WAITLISTED)
CHANGES = (DeliveryKind.RESCHEDULED, DeliveryKind.CANCELLED)
TEMPLATES = {
    DeliveryKind.REMINDER: "meetings/email/reminder",
    DeliveryKind.RESCHEDULED: "meetings/email/meeting_rescheduled",
    DeliveryKind.CANCELLED: "meetings/email/meeting_cancelled",
}
GAVE_UP = "Given up after the maximum number of attempts."
# Errors after which the whole batch is worth retrying later (server down, connection lost).
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


# --- Settings and versions --------------------------------------------------------------------


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


# --- Which rows may be sent now ---------------------------------------------------------------


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
    if meeting.state != MeetingState.PUBLISHED or _too_late(meeting, now):
        return Q(pk__in=[])
    version = schedule_version(meeting)
    window = schedule.due_window(starts_at=meeting.starts_at, now=now)
    due = [offset for offset in reminder_offsets(meeting) if window.moment(offset) is schedule.Moment.DUE]
    return Q(kind=DeliveryKind.REMINDER, version=version, offset_minutes__in=due) | Q(
        kind=DeliveryKind.RESCHEDULED, version=version
    )


def _superseded_q(meeting: Meeting) -> Q:
    """Reminders and notices of a new date about a schedule the meeting has left since."""
    if meeting.state != MeetingState.PUBLISHED:
        return Q(pk__in=[])
    return Q(kind__in=(DeliveryKind.REMINDER, DeliveryKind.RESCHEDULED)) & ~Q(version=schedule_version(meeting))


def _never_sendable_q(meeting: Meeting, now: datetime) -> Q:
    """The rows of this meeting that can no longer go out, whatever happens next."""
    cancelled_notice_passed = Q(kind=DeliveryKind.CANCELLED, starts_at__lte=now)
    if meeting.state != MeetingState.PUBLISHED or _too_late(meeting, now):
        # Cancelled, back to draft or (about to be) started: no reminder, no notice of a new date.
        return ~Q(kind=DeliveryKind.CANCELLED) | cancelled_notice_passed
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


# --- Creating rows ----------------------------------------------------------------------------


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
    rolls back, nothing is sent. A reschedule also starts a new schedule version at once
    (``schedule_version_record``), so reminders follow the new start and not the old one.
    """
    from .tasks import send_meeting_change_notice

    if change not in CHANGES:
        raise ValueError(f"Unknown change {change!r}.")
    if change == DeliveryKind.RESCHEDULED:
        schedule_version_record(meeting=meeting)
    transaction.on_commit(partial(send_meeting_change_notice.delay, meeting_id=meeting.pk, change=str(change)))


# --- Dispatch ---------------------------------------------------------------------------------


@dataclass
class DispatchResult:
    created: int = 0
    closed: int = 0
    # meeting id -> number of send tasks handed out
    handed_out: dict[int, int] = field(default_factory=dict)


def _meetings_with_settings():
    return Meeting.objects.select_related("reminder_settings")


def reminders_dispatch(*, now: datetime | None = None) -> DispatchResult:
    """Create the reminder rows that are due, close those that can no longer be sent, hand out send tasks.

    Side effects: delivery rows created and closed (skipped, superseded or failed);
    ``send_meeting_deliveries`` tasks queued after commit, as many as batches are waiting but at
    most ``REMINDER_SEND_TASKS`` per meeting.
    """
    from .tasks import send_meeting_deliveries

    now = now or timezone.now()
    result = DispatchResult()
    upcoming = list(
        _meetings_with_settings().filter(
            state=MeetingState.PUBLISHED,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(minutes=schedule.MAX_OFFSET + settings.REMINDER_GRACE_MINUTES),
        )
    )
    for meeting in upcoming:
        if _too_late(meeting, now):
            continue
        window = schedule.due_window(starts_at=meeting.starts_at, now=now)
        # Largest first: when two are due at once, the earlier one carries the invitation.
        for offset in reminder_offsets(meeting):
            if window.moment(offset) is schedule.Moment.DUE:
                result.created += _reminder_rows_create(meeting=meeting, offset=offset)

    with_open_rows = set(
        Delivery.objects.filter(status__in=OPEN_STATUSES).values_list("meeting_id", flat=True).distinct()
    )
    known = {meeting.pk: meeting for meeting in upcoming}
    others = with_open_rows - known.keys()
    if others:
        known.update({meeting.pk: meeting for meeting in _meetings_with_settings().filter(pk__in=others)})
    for meeting_id in sorted(with_open_rows & known.keys()):
        meeting = known[meeting_id]
        rows = Delivery.objects.filter(_open_q(now), meeting=meeting)
        result.closed += _rows_close(meeting, now)
        result.closed += rows.filter(_worn_out_q()).update(
            status=DeliveryStatus.FAILED,
            claimed_at=None,
            claim_token="",
            last_error=Case(
                When(last_error="", then=Value(GAVE_UP)), default=F("last_error"), output_field=TextField()
            ),
        )
        count = rows.filter(_sendable_q(meeting, now)).exclude(_worn_out_q()).count()
        if count:
            result.handed_out[meeting_id] = min(
                math.ceil(count / settings.REMINDER_BATCH_SIZE), settings.REMINDER_SEND_TASKS
            )

    for meeting_id, tasks in result.handed_out.items():
        for _ in range(tasks):
            transaction.on_commit(partial(send_meeting_deliveries.delay, meeting_id=meeting_id))
    return result


# --- Claim, send, record ----------------------------------------------------------------------


def deliveries_claim(*, meeting: Meeting, now: datetime, limit: int) -> tuple[str, list[Delivery]]:
    """Claim up to ``limit`` sendable rows of the meeting for this sender, in one short transaction.

    Rows locked by another sender are skipped, not waited for. The claim also requires the meeting
    to be unchanged since it was loaded (state, start, SEQUENCE), so a change committed meanwhile wins.
    """
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_open_q(now), _sendable_q(meeting, now))
            .filter(
                meeting=meeting,
                meeting__state=meeting.state,
                meeting__starts_at=meeting.starts_at,
                meeting__sequence=meeting.sequence,
            )
            .exclude(_worn_out_q())
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return token, []
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.CLAIMED, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
        )
    rows = list(Delivery.objects.filter(pk__in=ids, claim_token=token).select_related("member").order_by("pk"))
    return token, rows


@dataclass
class SendResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    batches: int = 0
    # Why sending stopped before every sendable row was tried ("" when none was left).
    stopped: str = ""


class StopSending(Exception):
    """Ends a batch between two messages; ``reason`` says why (time budget, start, meeting changed)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# Reasons to stop after which the remaining rows are worth handing out again at once.
OUT_OF_TIME = ("time budget", "soft time limit")


def _meeting_for_sending(meeting_id: int) -> Meeting | None:
    items = AgendaItem.objects.order_by("position", "pk").prefetch_related("leads")
    return (
        _meetings_with_settings()
        .prefetch_related(Prefetch("agenda_items", queryset=items, to_attr="agenda"))
        .filter(pk=meeting_id)
        .first()
    )


def _base_context(meeting: Meeting) -> dict:
    """What every message about the meeting shares; plain values, as it is rendered once per recipient."""
    agenda = [
        {
            "title": item.display_title,
            "duration_minutes": item.duration_minutes,
            "leads": ", ".join(str(lead) for lead in item.leads.all()),
        }
        for item in meeting.agenda
    ]
    return {"meeting": meeting, "agenda": agenda, "meeting_url": meeting_url(meeting)}


def _still_wanted(row: Delivery, answer: str | None) -> bool:
    """Check the row against the member as they are now (their answer or preferences may have changed).

    A reminder row for a member without an answer exists only for the reminder that invites them
    (the dispatcher creates no other), so "no answer" still qualifies here.
    """
    member = row.member
    if not (member.is_approved and member.email):
        return False
    if row.kind == DeliveryKind.REMINDER:
        return member.wants(NotificationKind.REMINDERS) and (answer is None or answer in REMINDER_RESPONSES)
    return member.wants(NotificationKind.MEETING_CHANGES) and answer in NOTICE_RESPONSES


# Celery's prefork pool tells a task its soft time limit is reached with this signal.
SOFT_LIMIT_SIGNAL = getattr(signal, "SIGUSR1", None)


@contextmanager
def _soft_limit_held():
    """Hold Celery's soft time limit while the task sends, and yield a check for it.

    Raised at any moment, the limit could land after the mail server accepted a message and
    before the database recorded it, or in the middle of a database call. Held (blocked), it
    waits as a pending signal that the sender checks between two messages, where it stops
    cleanly; a pending signal left at the end is consumed, so it is never raised later.
    """
    if SOFT_LIMIT_SIGNAL is None or not hasattr(signal, "pthread_sigmask"):
        yield lambda: False
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {SOFT_LIMIT_SIGNAL})
    try:
        yield lambda: SOFT_LIMIT_SIGNAL in signal.sigpending()
    finally:
        if SOFT_LIMIT_SIGNAL in signal.sigpending():
            signal.sigtimedwait({SOFT_LIMIT_SIGNAL}, 0)
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def deliveries_send(*, meeting_id: int, now: datetime | None = None, time_budget: float | None = None) -> SendResult:
    """Claim and send the meeting's sendable rows, batch after batch, until none is left.

    Side effects: emails sent over one connection per batch, each with its delivery's stable
    Message-ID; each row marked sent right after the mail server accepted its message, skipped
    (member no longer concerned), superseded (the meeting moved) or failed. Before each message the
    row is checked again against the meeting (state, start, SEQUENCE) and the member's answer.
    Sending stops between two messages when ``time_budget`` seconds are spent, when Celery's soft
    time limit is reached, or when the start is too close (``REMINDER_START_MARGIN_SECONDS``, or
    twice the slowest message so far): the rows not tried are released without counting an attempt,
    and ``result.stopped`` says why. On a transient error (SMTP server down), the message in flight
    counts one attempt, the rest are released, and the error is raised for the task to retry with
    back-off; after ``REMINDER_MAX_ATTEMPTS`` tries a row is marked failed.
    """
    started = time.monotonic()
    result = SendResult()

    def clock() -> datetime:
        return now or timezone.now()

    def check_time() -> None:
        if soft_limit_reached():
            raise StopSending("soft time limit")
        if time_budget is not None and time.monotonic() - started >= time_budget:
            raise StopSending("time budget")

    try:
        with _soft_limit_held() as soft_limit_reached:
            _send_all(meeting_id=meeting_id, clock=clock, check_time=check_time, result=result)
    except StopSending as stop:
        result.stopped = stop.reason
    except SoftTimeLimitExceeded:
        # Only where the limit cannot be held (no signal mask): the batch released what it did not try.
        result.stopped = "soft time limit"
    if result.stopped == "soft time limit":
        logger.warning("Sending the emails of meeting %s reached the soft time limit", meeting_id)
    return result


def _send_all(*, meeting_id: int, clock, check_time, result: SendResult) -> None:
    while True:
        check_time()
        # Loaded again for each batch: a change committed meanwhile is followed, never sent stale.
        meeting = _meeting_for_sending(meeting_id)
        if meeting is None:
            return
        _rows_close(meeting, clock())
        token, rows = deliveries_claim(meeting=meeting, now=clock(), limit=settings.REMINDER_BATCH_SIZE)
        if not rows:
            return
        result.batches += 1
        try:
            _send_batch(meeting=meeting, rows=rows, token=token, clock=clock, check_time=check_time, result=result)
        except StopSending as stop:
            if stop.reason != "meeting changed":
                raise


def _release(token: str, **fields) -> None:
    """Give the rows this sender still holds back (a sent row is never held any more, so never reopened)."""
    Delivery.objects.filter(claim_token=token, status=DeliveryStatus.CLAIMED).update(
        claimed_at=None, claim_token="", **fields
    )


def _row_now(row: Delivery, token: str):
    """The row's meeting and the member's answer as they are now, or None if the row is no longer ours."""
    answer = RSVP.objects.filter(meeting_id=OuterRef("meeting_id"), member_id=OuterRef("member_id")).values("response")[
        :1
    ]
    return (
        Delivery.objects.filter(pk=row.pk, claim_token=token, status=DeliveryStatus.CLAIMED)
        .annotate(answer=Subquery(answer))
        .values_list("meeting__state", "meeting__starts_at", "meeting__sequence", "answer")
        .first()
    )


def _send_batch(*, meeting, rows, token, clock, check_time, result: SendResult) -> None:
    """Send the claimed rows one by one over one connection, recording each right after its message."""
    context = _base_context(meeting)
    attachments = [("meeting.ics", meeting_ics(meeting).decode(), "text/calendar")]
    mine = Delivery.objects.filter(claim_token=token, status=DeliveryStatus.CLAIMED)
    connection = mail.get_connection()
    slowest = 0.0
    in_flight = None
    opened = False
    # A batch ends well before its claim could be taken for a dead sender's (and sent twice).
    batch_ends = time.monotonic() + settings.REMINDER_CLAIM_TIMEOUT_MINUTES * 60 / 2
    try:
        for row in rows:
            check_time()
            if time.monotonic() >= batch_ends:
                raise StopSending("time budget")
            if row.kind != DeliveryKind.CANCELLED and _too_late(meeting, clock(), slowest):
                raise StopSending("start")
            current = _row_now(row, token)
            if current is None:
                continue
            state, starts_at, sequence, answer = current
            if (state, starts_at, sequence) != (meeting.state, meeting.starts_at, meeting.sequence):
                raise StopSending("meeting changed")
            if not _still_wanted(row, answer):
                mine.filter(pk=row.pk).update(status=DeliveryStatus.SKIPPED, claim_token="")
                result.skipped += 1
                continue
            message = _message(meeting=meeting, row=row, answer=answer, context=context, attachments=attachments)
            if not opened:
                connection.open()  # one connection for the batch, opened once a message is ready
                opened = True
            in_flight = row
            began = time.monotonic()
            try:
                accepted = connection.send_messages([message])
            except smtplib.SMTPRecipientsRefused as exc:
                # This address is refused for good; the others still go.
                accepted, error = 0, _describe(exc)
            else:
                error = "" if accepted else "The mail backend did not accept the message."
            # Recorded at once, before anything else can happen to this process.
            if accepted:
                mine.filter(pk=row.pk).update(
                    status=DeliveryStatus.SENT, sent_at=clock(), last_error="", claim_token=""
                )
                result.sent += 1
            else:
                mine.filter(pk=row.pk).update(status=DeliveryStatus.FAILED, last_error=error, claim_token="")
                result.failed += 1
            in_flight = None
            slowest = max(slowest, time.monotonic() - began)
    except TRANSIENT_ERRORS as exc:
        reason = _describe(exc)
        if in_flight is not None:
            # The message in flight failed: that counts as one attempt for its row.
            gave_up = in_flight.attempts >= settings.REMINDER_MAX_ATTEMPTS
            mine.filter(pk=in_flight.pk).update(
                status=DeliveryStatus.FAILED if gave_up else DeliveryStatus.PENDING,
                last_error=reason,
                claimed_at=None,
                claim_token="",
            )
            result.failed += int(gave_up)
        # The rows after it were not tried (or the server could not be reached at all): no attempt counted.
        _release(token, status=DeliveryStatus.PENDING, last_error=reason, attempts=F("attempts") - 1)
        logger.warning("Sending the emails of meeting %s failed (%s); they will be retried", meeting.pk, reason)
        raise
    except (StopSending, SoftTimeLimitExceeded):
        # Stopped between two messages: the rows not tried wait for the next sender, no attempt counted.
        _release(token, status=DeliveryStatus.PENDING, attempts=F("attempts") - 1)
        raise
    except Exception as exc:
        # A bug (a template, a member's data): release the rows with the error, for the next tick.
        _release(
            token,
            status=Case(When(_worn_out_q(), then=Value(DeliveryStatus.FAILED)), default=Value(DeliveryStatus.PENDING)),
            last_error=_describe(exc),
        )
        raise
    finally:
        try:
            connection.close()
        except TRANSIENT_ERRORS:
            # Every message accepted so far is recorded; a failing QUIT changes nothing.
            logger.warning("Closing the mail connection failed", exc_info=True)


def _message(*, meeting, row, answer, context, attachments):
    extra = {
        "kind": row.kind,
        "answer": answer,
        "answer_label": RSVPResponse(answer).label if answer else "",
        "rsvp_links": None,
    }
    if row.kind == DeliveryKind.REMINDER and answer is None:
        extra["rsvp_links"] = rsvp_urls(meeting_id=meeting.pk, member_id=row.member_id)
    message = build_message(
        user=row.member, template=TEMPLATES[row.kind], context=context | extra, attachments=attachments
    )
    message.extra_headers["Auto-Submitted"] = "auto-generated"
    message.extra_headers["Message-ID"] = delivery_message_id(row)
    return message


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


# --- One-click answers ------------------------------------------------------------------------


def rsvp_from_link(*, meeting: Meeting, member, response: str) -> str:
    """Record the answer given through a signed link; return the answer as stored (e.g. waitlisted when full).

    Goes through ``meetings.services.rsvp_set``, which owns capacity and the waiting list.
    Raises ``ValidationError`` when the answer is refused.
    """
    from meetings.services import rsvp_set

    # A member answering "going" to a full meeting from an email joins the waiting list.
    rsvp_set(meeting=meeting, member=member, response=response, waitlist_if_full=True)
    return RSVP.objects.filter(meeting=meeting, member=member).values_list("response", flat=True).first()
