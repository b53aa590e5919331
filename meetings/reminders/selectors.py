"""Reads for the facilitators' view of a meeting's reminders and notices."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from meetings.enums import MeetingState

from . import schedule
from .enums import OPEN_STATUSES, DeliveryKind, DeliveryStatus
from .models import Delivery
from .services import reminder_offsets, schedule_version

FAILURES_SHOWN = 20


@dataclass
class Counts:
    sent: int = 0
    pending: int = 0
    failed: int = 0
    skipped: int = 0
    superseded: int = 0
    first_sent_at: datetime | None = None
    last_sent_at: datetime | None = None

    def add(self, row: dict) -> None:
        self.sent += row["sent"]
        self.pending += row["pending"]
        self.failed += row["failed"]
        self.skipped += row["skipped"]
        self.superseded += row["superseded"]
        for name, pick in (("first_sent_at", min), ("last_sent_at", max)):
            values = [v for v in (getattr(self, name), row[name]) if v is not None]
            setattr(self, name, pick(values) if values else None)

    @property
    def total(self) -> int:
        return self.sent + self.pending + self.failed + self.skipped + self.superseded


@dataclass
class ReminderLine:
    label: str
    offset: int
    due_at: datetime
    # "later", "due", "missed", "removed" (no longer in the list), "inactive" (draft or cancelled meeting),
    # "earlier" (about a date the meeting has left since)
    state: str
    counts: Counts
    # The start this reminder is about (the meeting's date when it went out).
    starts_at: datetime | None = None


@dataclass
class NoticeLine:
    kind: str
    label: str
    starts_at: datetime
    counts: Counts


def reminder_summary(*, meeting, now: datetime | None = None) -> dict:
    """What went out for this meeting, for which date, when, to how many members, and what failed.

    Reminders of the current schedule version come first, one line per offset; reminders about a
    date the meeting has left since follow, one line per date and offset. Three queries at most.
    """
    now = now or timezone.now()
    offsets = reminder_offsets(meeting)
    version = schedule_version(meeting)
    stats = (
        Delivery.objects.filter(meeting=meeting)
        .values("kind", "offset_minutes", "version", "starts_at")
        .annotate(
            sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
            pending=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
            skipped=Count("pk", filter=Q(status=DeliveryStatus.SKIPPED)),
            superseded=Count("pk", filter=Q(status=DeliveryStatus.SUPERSEDED)),
            first_sent_at=Min("sent_at"),
            last_sent_at=Max("sent_at"),
        )
        .order_by()
    )
    by_offset: dict[int, Counts] = {}
    earlier: dict[tuple, Counts] = {}
    notices: dict[tuple, Counts] = {}
    for row in stats:
        if row["kind"] != DeliveryKind.REMINDER:
            notices.setdefault((row["kind"], row["version"], row["starts_at"]), Counts()).add(row)
        elif row["version"] == version:
            by_offset.setdefault(row["offset_minutes"], Counts()).add(row)
        else:
            earlier.setdefault((row["version"], row["starts_at"], row["offset_minutes"]), Counts()).add(row)

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
                starts_at=meeting.starts_at,
            )
        )
    for (_version, starts_at, offset), counts in sorted(earlier.items(), key=lambda item: (-item[0][0], -item[0][2])):
        reminders.append(
            ReminderLine(
                label=schedule.format_offset(offset),
                offset=offset,
                due_at=schedule.due_at(starts_at=starts_at, offset=offset),
                state="earlier",
                counts=counts,
                starts_at=starts_at,
            )
        )
    notice_lines = [
        NoticeLine(kind=kind, label=DeliveryKind(kind).label, starts_at=starts_at, counts=counts)
        for (kind, _version, starts_at), counts in sorted(
            notices.items(), key=lambda item: item[1].first_sent_at or now
        )
    ]
    failures = list(
        Delivery.objects.filter(meeting=meeting)
        .exclude(last_error="")
        .exclude(status__in=[DeliveryStatus.SENT, DeliveryStatus.SKIPPED, DeliveryStatus.SUPERSEDED])
        .select_related("member")
        .order_by("-pk")[:FAILURES_SHOWN]
    )
    return {
        "reminders": reminders,
        "notices": notice_lines,
        "failures": failures,
        "grace_minutes": schedule.grace().total_seconds() // 60,
    }
