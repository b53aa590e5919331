"""Claim delivery rows, send them one message at a time, record what became of each right away."""

import logging
import signal
import smtplib
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Case, F, OuterRef, Prefetch, Subquery, Value, When
from django.utils import timezone

from community.enums import NotificationKind
from community.notifications import build_message
from meetings.enums import RSVPResponse
from meetings.ical import meeting_ics, meeting_url
from meetings.models import RSVP, ActionItem, AgendaItem, Meeting, Resource

from ..enums import DeliveryKind, DeliveryStatus
from ..models import Delivery
from ..signing import rsvp_urls
from .rows import (
    NOTICE_RESPONSES,
    REMINDER_RESPONSES,
    _meetings_with_settings,
    _open_q,
    _rows_close,
    _sendable_q,
    _too_late,
    _worn_out_q,
    delivery_message_id,
    reminder_offsets,
)

logger = logging.getLogger(__name__)


TEMPLATES = {
    DeliveryKind.REMINDER: "meetings/email/reminder",
    DeliveryKind.RESCHEDULED: "meetings/email/meeting_rescheduled",
    DeliveryKind.CANCELLED: "meetings/email/meeting_cancelled",
    DeliveryKind.ANNOUNCEMENT: "meetings/email/meeting_published",
    DeliveryKind.SUMMARY: "meetings/email/meeting_summary",
}

# Kinds about a meeting still to come: none begins too close to its start.
BEFORE_THE_START = (DeliveryKind.REMINDER, DeliveryKind.RESCHEDULED, DeliveryKind.ANNOUNCEMENT)


# Errors after which the whole batch is worth retrying later (server down, connection lost).
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


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
                meeting__minutes_published_at=meeting.minutes_published_at,
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


# Reasons to stop after which the remaining rows are worth handing out again at once.
OUT_OF_TIME = ("time budget", "soft time limit")


def _meeting_for_sending(meeting_id: int) -> Meeting | None:
    items = AgendaItem.objects.order_by("position", "pk").select_related("minutes").prefetch_related("leads")
    actions = ActionItem.objects.select_related("owner").order_by("due_on", "pk")
    return (
        _meetings_with_settings()
        .prefetch_related(
            Prefetch("agenda_items", queryset=items, to_attr="agenda"),
            Prefetch("resources", queryset=Resource.objects.order_by("created_at", "pk"), to_attr="resource_list"),
            Prefetch("actions", queryset=actions, to_attr="action_list"),
        )
        .filter(pk=meeting_id)
        .first()
    )


def _absolute(href: str) -> str:
    """Files are served by a members-only view of the site (a path); links are already absolute."""
    return settings.SITE_URL + href if href.startswith("/") else href


def _base_context(meeting: Meeting) -> dict:
    """What every message about the meeting shares; plain values, as it is rendered once per recipient.

    The minutes, resources and actions are for the summary (the minutes are shown to members only
    once published, which a summary row also waits for).
    """
    published = meeting.minutes_published_at is not None
    agenda = [
        {
            "title": item.display_title,
            "duration_minutes": item.duration_minutes,
            "leads": ", ".join(str(lead) for lead in item.leads.all()),
            "minutes": item.minutes.text if published and hasattr(item, "minutes") else "",
        }
        for item in meeting.agenda
    ]
    resources = [
        {"title": resource.title, "url": _absolute(resource.href), "description": resource.description}
        for resource in meeting.resource_list
    ]
    actions = [
        {"text": action.text, "owner": str(action.owner) if action.owner_id else "", "due_on": action.due_on}
        for action in meeting.action_list
    ]
    last_offset = min(reminder_offsets(meeting), default=None)
    return {
        "meeting": meeting,
        "agenda": agenda,
        "resources": resources,
        "actions": actions,
        "meeting_url": meeting_url(meeting),
        "last_offset": last_offset,
    }


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
    if row.kind == DeliveryKind.ANNOUNCEMENT:
        return member.wants(NotificationKind.MEETING_NEWS)
    if row.kind == DeliveryKind.SUMMARY:
        # Those recorded present or who answered going or maybe (see ``meeting_summary_create``),
        # unless they turned meeting reminders off: the summary closes what the reminders opened.
        return member.wants(NotificationKind.REMINDERS)
    return member.wants(NotificationKind.MEETING_CHANGES) and answer in NOTICE_RESPONSES


# Celery's prefork pool tells a task its soft time limit is reached with this signal.


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
        .values_list(
            "meeting__state", "meeting__starts_at", "meeting__sequence", "meeting__minutes_published_at", "answer"
        )
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
            if row.kind in BEFORE_THE_START and _too_late(meeting, clock(), slowest):
                raise StopSending("start")
            current = _row_now(row, token)
            if current is None:
                continue
            *now_is, answer = current
            if tuple(now_is) != (meeting.state, meeting.starts_at, meeting.sequence, meeting.minutes_published_at):
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
        # The last reminder carries the button to join (the meeting is about to start).
        "join_url": meeting.online_url
        if row.kind == DeliveryKind.REMINDER and row.offset_minutes == context["last_offset"]
        else "",
    }
    if row.kind in (DeliveryKind.REMINDER, DeliveryKind.ANNOUNCEMENT) and answer is None:
        extra["rsvp_links"] = rsvp_urls(meeting_id=meeting.pk, member_id=row.member_id)
    if row.kind == DeliveryKind.SUMMARY:
        attachments = ()  # the meeting is over: nothing to add to a calendar
    message = build_message(
        user=row.member, template=TEMPLATES[row.kind], context=context | extra, attachments=attachments
    )
    message.extra_headers["Auto-Submitted"] = "auto-generated"
    message.extra_headers["Message-ID"] = delivery_message_id(row)
    return message


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]
