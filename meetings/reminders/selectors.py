"""Reads for the facilitators' view of a meeting's reminders and notices."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from meetings.enums import MeetingState
from meetings.models import Meeting

from . import schedule
from .enums import OPEN_STATUSES, DeliveryKind, DeliveryStatus
from .models import Delivery

FAILURES_SHOWN = 20
# Deliveries in these states are over without a failure to report, whatever error an attempt left.
CLOSED_WITHOUT_FAILURE = (DeliveryStatus.SENT, DeliveryStatus.SKIPPED, DeliveryStatus.SUPERSEDED)


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


def _delivery_stats(meeting) -> tuple[list[int], int, list[dict]]:
    """The meeting's reminder offsets and schedule version, and its deliveries counted per kind,
    offset, version and start, in one query.

    The query starts from the meeting and joins its settings row (one to one) and its deliveries:
    a meeting without either still gives one row, with the defaults and no counts.
    """
    failing = ~Q(deliveries__last_error="") & ~Q(deliveries__status__in=CLOSED_WITHOUT_FAILURE)
    rows = list(
        Meeting.objects.filter(pk=meeting.pk)
        .values(
            settings_offsets=F("reminder_settings__offsets"),
            settings_version=F("reminder_settings__schedule_version"),
            delivery_kind=F("deliveries__kind"),
            delivery_offset=F("deliveries__offset_minutes"),
            delivery_version=F("deliveries__version"),
            delivery_starts_at=F("deliveries__starts_at"),
        )
        .annotate(
            sent=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
            pending=Count("deliveries", filter=Q(deliveries__status__in=OPEN_STATUSES)),
            failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
            skipped=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SKIPPED)),
            superseded=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SUPERSEDED)),
            failing=Count("deliveries", filter=failing),
            first_sent_at=Min("deliveries__sent_at"),
            last_sent_at=Max("deliveries__sent_at"),
        )
        .order_by()
    )
    first = rows[0] if rows else {}
    offsets = first.get("settings_offsets")
    if offsets is None:
        offsets = settings.REMINDER_DEFAULT_OFFSETS
    version = first.get("settings_version") or 0
    stats = [
        {
            **row,
            "kind": row["delivery_kind"],
            "offset_minutes": row["delivery_offset"],
            "version": row["delivery_version"],
            "starts_at": row["delivery_starts_at"],
        }
        for row in rows
        if row["delivery_kind"] is not None
    ]
    return sorted(offsets, reverse=True), version, stats


def reminder_summary(*, meeting, now: datetime | None = None) -> dict:
    """What went out for this meeting, for which date, when, to how many members, and what failed.

    Reminders of the current schedule version come first, one line per offset; reminders about a
    date the meeting has left since follow, one line per date and offset. One query, and a second
    only when some deliveries failed (to name them).
    """
    now = now or timezone.now()
    offsets, version, stats = _delivery_stats(meeting)
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
    failures = []
    if any(row["failing"] for row in stats):
        failures = list(
            Delivery.objects.filter(meeting=meeting)
            .exclude(last_error="")
            .exclude(status__in=CLOSED_WITHOUT_FAILURE)
            .select_related("member")
            .order_by("-pk")[:FAILURES_SHOWN]
        )
    return {
        "reminders": reminders,
        "notices": notice_lines,
        "failures": failures,
        "grace_minutes": schedule.grace().total_seconds() // 60,
    }
