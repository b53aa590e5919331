"""Reads for the facilitators' view of a meeting's reminders and notices."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from meetings.enums import MeetingState

from . import schedule
from .enums import OPEN_STATUSES, DeliveryKind, DeliveryStatus
from .models import Delivery
from .services import reminder_offsets

FAILURES_SHOWN = 20


@dataclass
class Counts:
    sent: int = 0
    pending: int = 0
    failed: int = 0
    skipped: int = 0
    first_sent_at: datetime | None = None
    last_sent_at: datetime | None = None

    def add(self, row: dict) -> None:
        self.sent += row["sent"]
        self.pending += row["pending"]
        self.failed += row["failed"]
        self.skipped += row["skipped"]
        for name, pick in (("first_sent_at", min), ("last_sent_at", max)):
            values = [v for v in (getattr(self, name), row[name]) if v is not None]
            setattr(self, name, pick(values) if values else None)

    @property
    def total(self) -> int:
        return self.sent + self.pending + self.failed + self.skipped


@dataclass
class ReminderLine:
    label: str
    offset: int
    due_at: datetime
    # "later", "due", "missed", "removed" (no longer in the list), "inactive" (draft or cancelled meeting)
    state: str
    counts: Counts


@dataclass
class NoticeLine:
    kind: str
    label: str
    starts_at: datetime
    counts: Counts


def reminder_summary(*, meeting, now: datetime | None = None) -> dict:
    """What went out for this meeting, when, to how many members, and what failed. Three queries at most."""
    now = now or timezone.now()
    offsets = reminder_offsets(meeting)
    stats = (
        Delivery.objects.filter(meeting=meeting)
        .values("kind", "offset_minutes", "starts_at")
        .annotate(
            sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
            pending=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
            skipped=Count("pk", filter=Q(status=DeliveryStatus.SKIPPED)),
            first_sent_at=Min("sent_at"),
            last_sent_at=Max("sent_at"),
        )
        .order_by()
    )
    by_offset: dict[int, Counts] = {}
    notices: dict[tuple, Counts] = {}
    for row in stats:
        if row["kind"] == DeliveryKind.REMINDER:
            by_offset.setdefault(row["offset_minutes"], Counts()).add(row)
        else:
            notices.setdefault((row["kind"], row["starts_at"]), Counts()).add(row)

    window = schedule.due_window(starts_at=meeting.starts_at, now=now)
    active = meeting.state == MeetingState.PUBLISHED
    reminders = []
    for offset in sorted(set(offsets) | by_offset.keys(), reverse=True):
        if offset not in offsets:
            state = "removed"
        elif not active:
            state = "inactive"
        else:
            state = window.moment(offset).value
        reminders.append(
            ReminderLine(
                label=schedule.format_offset(offset),
                offset=offset,
                due_at=schedule.due_at(starts_at=meeting.starts_at, offset=offset),
                state=state,
                counts=by_offset.get(offset, Counts()),
            )
        )
    notice_lines = [
        NoticeLine(kind=kind, label=DeliveryKind(kind).label, starts_at=starts_at, counts=counts)
        for (kind, starts_at), counts in sorted(notices.items(), key=lambda item: item[1].first_sent_at or now)
    ]
    failures = list(
        Delivery.objects.filter(meeting=meeting)
        .exclude(last_error="")
        .exclude(status__in=[DeliveryStatus.SENT, DeliveryStatus.SKIPPED])
        .select_related("member")
        .order_by("-pk")[:FAILURES_SHOWN]
    )
    return {
        "reminders": reminders,
        "notices": notice_lines,
        "failures": failures,
        "grace_minutes": schedule.grace().total_seconds() // 60,
    }
