"""Digest periods: their boundaries in the member's time zone, and the window each digest gathers.

A weekly period runs from Monday 08:00 to the next Monday 08:00, a monthly one from the 1st at
08:00 to the next 1st at 08:00, on the member's wall clock: across a change of clocks a week lasts
167 or 169 hours and the digest still goes out at 08:00 local. A digest is due at the end of its
period, and gathers, per topic, everything from the end of the topic's previous window (stored on
the member) to that boundary. So a late or missed tick, a change of frequency or of clocks moves
when a digest is sent, never what it holds: each moment belongs to exactly one window.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from community.enums import NotificationFrequency

DIGEST_TIME = time(8, 0)


def member_zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _at_digest_time(day: date, zone: zoneinfo.ZoneInfo) -> datetime:
    # Wall-clock 08:00 of that day, in UTC (08:00 is outside every change of clocks in use).
    return datetime.combine(day, DIGEST_TIME, tzinfo=zone).astimezone(UTC)


def _period_first_day(frequency: str, day: date) -> date:
    if frequency == NotificationFrequency.WEEKLY:
        return day - timedelta(days=day.weekday())
    if frequency == NotificationFrequency.MONTHLY:
        return day.replace(day=1)
    raise ValueError(f"No digest period for {frequency!r}.")


def _previous_first_day(frequency: str, day: date) -> date:
    if frequency == NotificationFrequency.WEEKLY:
        return day - timedelta(days=7)
    return (day - timedelta(days=1)).replace(day=1)


def latest_boundary(*, frequency: str, now: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """The last period boundary at or before ``now`` (UTC)."""
    first = _period_first_day(frequency, now.astimezone(zone).date())
    boundary = _at_digest_time(first, zone)
    if boundary > now:
        boundary = _at_digest_time(_previous_first_day(frequency, first), zone)
    return boundary


def previous_boundary(*, frequency: str, boundary: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """The boundary before ``boundary``: together they make the period that ends at ``boundary``."""
    first = _period_first_day(frequency, boundary.astimezone(zone).date())
    return _at_digest_time(_previous_first_day(frequency, first), zone)


@dataclass(frozen=True)
class DueDigest:
    """The digest a member is due for one frequency: its period and, per topic, the window gathered."""

    frequency: str
    period_start: datetime
    period_end: datetime
    windows: dict[str, tuple[datetime, datetime]]


def due_digest(*, member, frequency: str, topics, now: datetime) -> DueDigest | None:
    """The digest of ``frequency`` the member is due for at ``now``, or None.

    Each of the ``topics`` gathered at that frequency starts where its previous window ended
    (``User.<topic>_digested_until``); a topic without one (never gathered, e.g. set in the admin)
    starts at the beginning of the period. A topic whose window already reaches the boundary is
    not due (its digest for this period exists, or it started being gathered after the boundary).
    """
    zone = member_zone(member.time_zone)
    end = latest_boundary(frequency=frequency, now=now, zone=zone)
    start = previous_boundary(frequency=frequency, boundary=end, zone=zone)
    windows = {}
    for topic in topics:
        if member.frequency(topic) != frequency:
            continue
        since = member.digested_until(topic) or start
        if since < end:
            windows[str(topic)] = (since, end)
    if not windows:
        return None
    return DueDigest(frequency=frequency, period_start=start, period_end=end, windows=windows)
