"""Reminders and change notices: create delivery rows, claim them, send, record the outcome.

The flow, and why each step is safe to repeat:

1. ``reminders_dispatch`` (every few minutes, from beat) creates the delivery rows that are due,
   under a unique constraint, so two ticks or two dispatchers create each row once. It also
   closes rows that can no longer be sent and hands out send tasks for the rest.
2. A send task calls ``deliveries_send``: it claims a batch of rows in a short transaction
   (``select_for_update(skip_locked=True)``), so two senders never hold the same row; it sends
   the batch over one connection, one message at a time, and marks sent only the rows whose
   message the backend accepted. A claim older than ``REMINDER_CLAIM_TIMEOUT_MINUTES`` (its
   worker died) is open again. The only duplicate left possible is a worker dying after the
   backend accepted a batch and before the database recorded it: at most one batch, once.
3. Everything is checked against the meeting as it is *now*: a reschedule moves the due
   moments, a cancellation closes the reminders, a reminder past its grace window is skipped.
"""

import logging
import math
import smtplib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, TextField, Value, When
from django.utils import timezone

from community.enums import NotificationKind
from community.notifications import build_message
from meetings.enums import MeetingState, RSVPResponse
from meetings.ical import meeting_ics, meeting_url
from meetings.models import RSVP, AgendaItem, Meeting

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


# --- Settings -------------------------------------------------------------------------------


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


# --- Which rows may be sent now ---------------------------------------------------------------


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


# --- Creating rows ----------------------------------------------------------------------------


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
    from .tasks import send_meeting_change_notice

    if change not in CHANGES:
        raise ValueError(f"Unknown change {change!r}.")
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

    Side effects: delivery rows created and closed; ``send_meeting_deliveries`` tasks queued after
    commit, as many as batches are waiting but at most ``REMINDER_SEND_TASKS`` per meeting.
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
        offsets = reminder_offsets(meeting)
        window = schedule.due_window(starts_at=meeting.starts_at, now=now)
        first = schedule.first_offset(offsets)
        for offset in offsets:
            if window.moment(offset) is schedule.Moment.DUE:
                result.created += _reminder_rows_create(
                    meeting=meeting, offset=offset, include_unanswered=offset == first
                )

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
        result.closed += rows.filter(_never_sendable_q(meeting, now)).update(
            status=DeliveryStatus.SKIPPED, claimed_at=None, claim_token=""
        )
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
    to be unchanged since it was loaded, so a reschedule or cancellation committed meanwhile wins.
    """
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_open_q(now), _sendable_q(meeting, now))
            .filter(meeting=meeting, meeting__state=meeting.state, meeting__starts_at=meeting.starts_at)
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

    A reminder row for a member without an answer exists only for the first reminder (the dispatcher
    creates no other), so "no answer" still qualifies here, even if the list of offsets changed since.
    """
    member = row.member
    if not (member.is_approved and member.email):
        return False
    if row.kind == DeliveryKind.REMINDER:
        return member.wants(NotificationKind.REMINDERS) and (answer is None or answer in REMINDER_RESPONSES)
    return member.wants(NotificationKind.MEETING_CHANGES) and answer in NOTICE_RESPONSES


def deliveries_send(*, meeting_id: int, now: datetime | None = None, time_budget: float | None = None) -> SendResult:
    """Claim and send the meeting's sendable rows, batch after batch, until none is left.

    Side effects: emails sent over one connection per batch; rows marked sent (after the backend
    accepted each message), skipped (member no longer concerned) or failed. On a transient error
    (SMTP server down), the rows not sent are released and the error is raised for the task to retry
    with back-off; after ``REMINDER_MAX_ATTEMPTS`` tries a row is marked failed. Stops after
    ``time_budget`` seconds so a task stays short; the next dispatch tick hands out the rest.
    """
    fixed_now = now
    meeting = _meeting_for_sending(meeting_id)
    result = SendResult()
    if meeting is None:
        return result
    started = timezone.now()
    context = _base_context(meeting)
    attachments = [("meeting.ics", meeting_ics(meeting).decode(), "text/calendar")]
    while time_budget is None or (timezone.now() - started).total_seconds() < time_budget:
        token, rows = deliveries_claim(
            meeting=meeting, now=fixed_now or timezone.now(), limit=settings.REMINDER_BATCH_SIZE
        )
        if not rows:
            break
        result.batches += 1
        try:
            _send_batch(
                meeting=meeting,
                rows=rows,
                token=token,
                context=context,
                attachments=attachments,
                now=fixed_now,
                result=result,
            )
        except TRANSIENT_ERRORS:
            raise  # the batch recorded what was sent and released the rest
        except Exception as exc:
            # A bug (a template, a member's data): release the rows with the error, for the next tick.
            Delivery.objects.filter(claim_token=token, status=DeliveryStatus.CLAIMED).update(
                status=Case(
                    When(_worn_out_q(), then=Value(DeliveryStatus.FAILED)), default=Value(DeliveryStatus.PENDING)
                ),
                last_error=_describe(exc),
                claimed_at=None,
                claim_token="",
            )
            raise
    return result


def _send_batch(*, meeting, rows, token, context, attachments, now, result: SendResult) -> None:
    answers = dict(
        RSVP.objects.filter(meeting=meeting, member_id__in=[row.member_id for row in rows]).values_list(
            "member_id", "response"
        )
    )
    outgoing, skipped = [], []
    for row in rows:
        answer = answers.get(row.member_id)
        if not _still_wanted(row, answer):
            skipped.append(row.pk)
            continue
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
        outgoing.append((row, message))

    sent, refused, error, failed_row = [], [], None, None
    connection = mail.get_connection()
    try:
        connection.open()
        for row, message in outgoing:
            failed_row = row
            try:
                accepted = connection.send_messages([message])
            except smtplib.SMTPRecipientsRefused as exc:
                # This address is refused for good; the others still go.
                refused.append((row.pk, _describe(exc)))
                continue
            if accepted:
                sent.append(row.pk)
            else:
                refused.append((row.pk, "The mail backend did not accept the message."))
        failed_row = None
    except TRANSIENT_ERRORS as exc:
        error = exc
    finally:
        try:
            connection.close()
        except TRANSIENT_ERRORS:
            # Every message accepted so far is recorded below; a failing QUIT changes nothing.
            logger.warning("Closing the mail connection failed", exc_info=True)

    finished = now or timezone.now()
    mine = Delivery.objects.filter(claim_token=token, status=DeliveryStatus.CLAIMED)
    if sent:
        mine.filter(pk__in=sent).update(status=DeliveryStatus.SENT, sent_at=finished, last_error="", claim_token="")
    if skipped:
        mine.filter(pk__in=skipped).update(status=DeliveryStatus.SKIPPED, claim_token="")
    for reason, pks in _group_by_reason(refused).items():
        mine.filter(pk__in=pks).update(status=DeliveryStatus.FAILED, last_error=reason, claim_token="")
    result.sent += len(sent)
    result.skipped += len(skipped)
    result.failed += len(refused)
    if error is None:
        return

    reason = _describe(error)
    if failed_row is not None:
        # The message in flight failed: that counts as one attempt for its row.
        gave_up = failed_row.attempts >= settings.REMINDER_MAX_ATTEMPTS
        mine.filter(pk=failed_row.pk).update(
            status=DeliveryStatus.FAILED if gave_up else DeliveryStatus.PENDING,
            last_error=reason,
            claimed_at=None,
            claim_token="",
        )
        result.failed += int(gave_up)
    # The rows after it were not tried (or the server could not be reached at all): no attempt counted.
    done = {*sent, *skipped, *(pk for pk, _reason in refused), getattr(failed_row, "pk", None)}
    untried = [row.pk for row, _message in outgoing if row.pk not in done]
    if untried:
        mine.filter(pk__in=untried).update(
            status=DeliveryStatus.PENDING,
            last_error=reason,
            claimed_at=None,
            claim_token="",
            attempts=F("attempts") - 1,
        )
    logger.warning("Sending the emails of meeting %s failed (%s); they will be retried", meeting.pk, reason)
    raise error


def _group_by_reason(refused: list[tuple[int, str]]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for pk, reason in refused:
        grouped.setdefault(reason, []).append(pk)
    return grouped


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
