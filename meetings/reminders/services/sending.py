"""Claim delivery rows, send them in batches, record what became of each."""

import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Case, F, Prefetch, Value, When
from django.utils import timezone

from community.enums import NotificationKind
from community.notifications import build_message
from meetings.enums import RSVPResponse
from meetings.ical import meeting_ics, meeting_url
from meetings.models import RSVP, AgendaItem, Meeting

from ..enums import DeliveryKind, DeliveryStatus
from ..models import Delivery
from ..signing import rsvp_urls
from .rows import NOTICE_RESPONSES, REMINDER_RESPONSES, _meetings_with_settings, _open_q, _sendable_q, _worn_out_q

logger = logging.getLogger(__name__)


TEMPLATES = {
    DeliveryKind.REMINDER: "meetings/email/reminder",
    DeliveryKind.RESCHEDULED: "meetings/email/meeting_rescheduled",
    DeliveryKind.CANCELLED: "meetings/email/meeting_cancelled",
}


# Errors after which the whole batch is worth retrying later (server down, connection lost).
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


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
