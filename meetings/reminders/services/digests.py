"""Digests: one row per member per frequency and period, created by the beat tick, sent like reminders.

1. ``digests_dispatch`` finds the members due for a weekly or monthly digest (see ``periods``).
   For each, in one transaction holding the member's row, it creates the delivery row (unique per
   member, kind and period start) with the window of each topic, and moves the topics' stored
   window ends to the period's end. Two dispatchers, or one run twice or after a crash, create
   each row once and never gather a moment twice: the second one finds the windows closed.
2. ``digests_send`` claims open digest rows (``select_for_update(skip_locked=True)``), renders each
   in the member's language and time zone from its stored windows, and records each row right
   after the mail server accepted its message. A digest with nothing in it is marked skipped.
"""

import logging
import math
import smtplib
import uuid
from datetime import datetime, timedelta
from email.utils import make_msgid
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from community.enums import DIGEST_FREQUENCIES, DIGEST_TOPICS, NotificationFrequency
from community.notifications import build_message
from meetings.ical import meeting_url
from meetings.selectors import next_meeting_for

from .. import periods, slots
from ..enums import DIGEST_KINDS, DeliveryKind, DeliveryStatus
from ..models import Delivery
from ..signing import rsvp_urls
from .rows import _open_q, _worn_out_q, delivery_message_id

logger = logging.getLogger(__name__)

KIND_OF = {
    NotificationFrequency.WEEKLY: DeliveryKind.WEEKLY_DIGEST,
    NotificationFrequency.MONTHLY: DeliveryKind.MONTHLY_DIGEST,
}
FREQUENCY_OF = {kind: frequency for frequency, kind in KIND_OF.items()}
TEMPLATE = "meetings/email/digest"
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


def _gathering():
    """Approved members with an address who gather at least one topic in a digest."""
    gathers = Q()
    for topic in DIGEST_TOPICS:
        gathers |= Q(**{f"{topic}_frequency__in": DIGEST_FREQUENCIES})
    return get_user_model().objects.approved().exclude(email="").filter(gathers)


def _digest_message_id(*, kind: str, member_id: int, period_start: datetime) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return make_msgid(idstring=f"{kind}.{member_id}.{period_start:%Y%m%dT%H%M}", domain=domain)


def digest_row_create(*, member_id: int, frequency: str, now: datetime) -> bool:
    """Create the member's digest row for the period of ``frequency`` that ended last, if due.

    Holds the member's row while it reads their frequencies and window ends, creates the row and
    moves the window ends of the topics gathered to the period's end, in one transaction.
    Returns whether a row was due (False: already created, or no topic at that frequency).
    """
    with transaction.atomic():
        member = _gathering().select_for_update(of=("self",)).filter(pk=member_id).first()
        if member is None:
            return False
        due = periods.due_digest(member=member, frequency=frequency, topics=DIGEST_TOPICS, now=now)
        if due is None:
            return False
        kind = KIND_OF[frequency]
        row = Delivery(
            member=member,
            kind=kind,
            period_start=due.period_start,
            period_end=due.period_end,
            digest_windows={topic: [start.isoformat(), end.isoformat()] for topic, (start, end) in due.windows.items()},
            message_id=_digest_message_id(kind=kind, member_id=member.pk, period_start=due.period_start),
        )
        # The member's row is held, so no other dispatcher gets here for them; the constraint
        # keeps one row per period even against a row written some other way.
        Delivery.objects.bulk_create([row], ignore_conflicts=True)
        get_user_model().objects.filter(pk=member.pk).update(
            **{f"{topic}_digested_until": due.period_end for topic in due.windows}
        )
    return True


def digest_closing_create(*, member_id: int, frequency: str, windows: dict, now: datetime) -> bool:
    """A last digest for topics a member moves from ``frequency`` to "right away": what was
    gathered since the last digest of each, up to the switch, so nothing is dropped.

    ``windows`` maps each topic to ``(start, end)``; empty windows are left out. Called inside the
    caller's transaction, which holds the member's row (as ``digest_row_create`` does). Returns whether a row
    was created; its sending is queued after commit.
    """
    from ..tasks import queue_digests_send

    windows = {topic: (start, end) for topic, (start, end) in windows.items() if start is not None and start < end}
    if not windows:
        return False
    kind = KIND_OF[frequency]
    # Keyed at the switch (a period of one microsecond ending then: a period's own row starts on
    # a boundary, so the two never meet on the unique key).
    row = Delivery(
        member_id=member_id,
        kind=kind,
        period_start=now - timedelta(microseconds=1),
        period_end=now,
        digest_windows={topic: [start.isoformat(), end.isoformat()] for topic, (start, end) in windows.items()},
        message_id=_digest_message_id(kind=kind, member_id=member_id, period_start=now),
    )
    created = Delivery.objects.bulk_create([row], ignore_conflicts=True)
    transaction.on_commit(partial(queue_digests_send))
    return bool(created)


def digests_dispatch(*, now: datetime | None = None) -> int:
    """Create the digest rows that are due and hand out send tasks. Returns the rows created.

    Side effects: delivery rows created, members' digest window ends moved; ``send_digests``
    tasks queued after commit (as many as batches are open, at most ``REMINDER_SEND_TASKS``).
    """
    from ..tasks import queue_digests_send

    now = now or timezone.now()
    fields = [
        "pk",
        "time_zone",
        *(f"{t}_frequency" for t in DIGEST_TOPICS),
        *(f"{t}_digested_until" for t in DIGEST_TOPICS),
    ]
    created = 0
    for member in _gathering().only(*fields).order_by("pk").iterator(chunk_size=500):
        for frequency in DIGEST_FREQUENCIES:
            # Read without a lock first: most members are not due at a given tick.
            if periods.due_digest(member=member, frequency=frequency, topics=DIGEST_TOPICS, now=now) is None:
                continue
            created += digest_row_create(member_id=member.pk, frequency=frequency, now=now)
    open_rows = Delivery.objects.filter(_open_q(now), kind__in=DIGEST_KINDS).exclude(_worn_out_q()).count()
    tasks = min(math.ceil(open_rows / settings.REMINDER_BATCH_SIZE), settings.REMINDER_SEND_TASKS)
    for _ in range(tasks):
        transaction.on_commit(partial(queue_digests_send))
    return created


def digest_windows(row: Delivery) -> dict[str, tuple[datetime, datetime]]:
    return {topic: (parse_datetime(start), parse_datetime(end)) for topic, (start, end) in row.digest_windows.items()}


def digest_content(*, member, windows: dict) -> dict:
    """What a digest holds for the member: the sections of each app for the topics still wanted,
    and the next meeting with its one-click answers. Empty sections are left out."""
    wanted = {
        topic: window for topic, window in windows.items() if member.frequency(topic) != NotificationFrequency.NEVER
    }
    with translation.override(member.preferred_language or settings.LANGUAGE_CODE):
        sections = [section for section in slots.digest_sections(member, wanted) if section["items"]]
    next_meeting = None
    if sections and wanted.get("meeting_news"):
        meeting = next_meeting_for(member)
        if meeting is not None:
            next_meeting = {
                "meeting": meeting,
                "url": meeting_url(meeting),
                "answer": meeting.my_response,
                "rsvp_links": rsvp_urls(meeting_id=meeting.pk, member_id=member.pk),
            }
    return {"sections": sections, "next_meeting": next_meeting}


def _claim(*, now: datetime, limit: int) -> tuple[str, list[Delivery]]:
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_open_q(now), kind__in=DIGEST_KINDS)
            .exclude(_worn_out_q())
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Delivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.CLAIMED, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
            )
    rows = list(Delivery.objects.filter(pk__in=ids, claim_token=token).select_related("member").order_by("pk"))
    return token, rows


def _message(row: Delivery, content: dict):
    windows = digest_windows(row)
    context = {
        **content,
        "frequency": FREQUENCY_OF[row.kind],
        "since": min(start for start, _end in windows.values()),
        "until": row.period_end,
    }
    message = build_message(user=row.member, template=TEMPLATE, context=context)
    message.extra_headers["Auto-Submitted"] = "auto-generated"
    message.extra_headers["Message-ID"] = delivery_message_id(row)
    return message


def digests_send(*, now: datetime | None = None) -> int:
    """Claim and send open digests batch by batch until none is left. Returns the number sent.

    Side effects: one email per digest with its stored Message-ID, the row marked sent right
    after the server accepted it; a digest with nothing to tell (or a member no longer approved)
    is marked skipped. On a transient mail error the message in flight counts one attempt, the
    rows not tried are released, and the error is raised for the task to retry.
    """
    sent = 0
    while True:
        token, rows = _claim(now=now or timezone.now(), limit=settings.REMINDER_BATCH_SIZE)
        if not rows:
            return sent
        sent += _send_batch(rows, token, now)


def _send_batch(rows: list[Delivery], token: str, now: datetime | None) -> int:
    mine = Delivery.objects.filter(claim_token=token, status=DeliveryStatus.CLAIMED)
    connection = mail.get_connection()
    opened, sent, in_flight = False, 0, None
    try:
        for row in rows:
            member = row.member
            content = digest_content(member=member, windows=digest_windows(row)) if member.is_approved else None
            if not (content and content["sections"] and member.email):
                mine.filter(pk=row.pk).update(status=DeliveryStatus.SKIPPED, claim_token="")
                continue
            message = _message(row, content)
            if not opened:
                connection.open()
                opened = True
            in_flight = row
            try:
                accepted = connection.send_messages([message])
            except smtplib.SMTPRecipientsRefused as exc:
                accepted, error = 0, f"{type(exc).__name__}: {exc}"[:1000]
            else:
                error = "" if accepted else "The mail backend did not accept the message."
            if accepted:
                mine.filter(pk=row.pk).update(
                    status=DeliveryStatus.SENT, sent_at=now or timezone.now(), last_error="", claim_token=""
                )
                sent += 1
            else:
                mine.filter(pk=row.pk).update(status=DeliveryStatus.FAILED, last_error=error, claim_token="")
            in_flight = None
    except TRANSIENT_ERRORS as exc:
        reason = f"{type(exc).__name__}: {exc}"[:1000]
        if in_flight is not None:
            gave_up = in_flight.attempts >= settings.REMINDER_MAX_ATTEMPTS
            mine.filter(pk=in_flight.pk).update(
                status=DeliveryStatus.FAILED if gave_up else DeliveryStatus.PENDING,
                last_error=reason,
                claimed_at=None,
                claim_token="",
            )
        mine.update(status=DeliveryStatus.PENDING, claimed_at=None, claim_token="", attempts=F("attempts") - 1)
        logger.warning("Sending digests failed (%s); they will be retried", reason)
        raise
    except Exception as exc:
        mine.update(status=DeliveryStatus.PENDING, claimed_at=None, claim_token="", last_error=repr(exc)[:1000])
        raise
    finally:
        try:
            connection.close()
        except TRANSIENT_ERRORS:
            logger.warning("Closing the mail connection failed", exc_info=True)
    return sent
