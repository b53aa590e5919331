"""The periodic tick: create the rows that are due, close the hopeless ones, hand out send tasks."""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, TextField, Value, When
from django.utils import timezone

from meetings.enums import MeetingState

from .. import schedule
from ..enums import OPEN_STATUSES, DeliveryStatus
from ..models import Delivery
from .rows import (
    GAVE_UP,
    _meetings_with_settings,
    _open_q,
    _reminder_rows_create,
    _rows_close,
    _sendable_q,
    _too_late,
    _worn_out_q,
    reminder_offsets,
)


@dataclass
class DispatchResult:
    created: int = 0
    closed: int = 0
    # meeting id -> number of send tasks handed out
    handed_out: dict[int, int] = field(default_factory=dict)


def reminders_dispatch(*, now: datetime | None = None) -> DispatchResult:
    """Create the reminder rows that are due, close those that can no longer be sent, hand out send tasks.

    Side effects: delivery rows created and closed (skipped, superseded or failed);
    ``send_meeting_deliveries`` tasks queued after commit, as many as batches are waiting but at
    most ``REMINDER_SEND_TASKS`` per meeting.
    """
    from ..tasks import queue_send

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
        Delivery.objects.filter(status__in=OPEN_STATUSES, meeting__isnull=False)
        .values_list("meeting_id", flat=True)
        .distinct()
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
            transaction.on_commit(partial(queue_send, meeting_id=meeting_id))
    return result
