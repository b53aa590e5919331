"""When reminders are due: offsets as people write them, and due moments from the current start.

All arithmetic is in UTC: a reminder "1 day before" a 09:00 Europe/Brussels meeting on the
day clocks change goes out exactly 24 hours before the start, whatever the local clock says.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MINUTE = 1
HOUR = 60
DAY = 24 * HOUR
WEEK = 7 * DAY

# Facilitators may write units in any language of the site, singular or plural, or abbreviated:
# the form shows the saved delays back in the reader's language ("2 dias", "2 días"), so each
# language's words must read back.
_UNITS = {
    "m": MINUTE,
    "min": MINUTE,
    "mins": MINUTE,
    "minute": MINUTE,
    "minutes": MINUTE,
    "minuto": MINUTE,
    "minutos": MINUTE,
    "h": HOUR,
    "hr": HOUR,
    "hrs": HOUR,
    "hour": HOUR,
    "hours": HOUR,
    "heure": HOUR,
    "heures": HOUR,
    "hora": HOUR,
    "horas": HOUR,
    "d": DAY,
    "day": DAY,
    "days": DAY,
    "j": DAY,
    "jour": DAY,
    "jours": DAY,
    "dia": DAY,
    "dias": DAY,
    "día": DAY,
    "días": DAY,
    "w": WEEK,
    "week": WEEK,
    "weeks": WEEK,
    "semaine": WEEK,
    "semaines": WEEK,
    "semana": WEEK,
    "semanas": WEEK,
}
_PART = re.compile(r"^(\d{1,4})\s*([^\d\s]+)$")

MIN_OFFSET = 10 * MINUTE
MAX_OFFSET = 8 * WEEK
MAX_OFFSETS = 6


def parse_offsets(text: str) -> list[int]:
    """Turn "14 days, 2 days, 1 hour" into minutes, largest first, without duplicates.

    An empty text means no reminders. Raises ``ValidationError`` naming the part it could not read.
    """
    minutes = set()
    for raw in re.split(r"[,;]|\s+(?:and|et|e|y)\s+", text.strip()):
        part = raw.strip().lower()
        if not part:
            continue
        match = _PART.match(part)
        unit = _UNITS.get(match.group(2).rstrip(".")) if match else None
        if unit is None:
            raise ValidationError(
                _("“%(part)s” is not a delay such as “2 days”, “3 hours” or “30 minutes”."),
                code="unreadable",
                params={"part": raw.strip()},
            )
        value = int(match.group(1)) * unit
        if not MIN_OFFSET <= value <= MAX_OFFSET:
            raise ValidationError(
                _("“%(part)s” is out of range: reminders go between 10 minutes and 8 weeks before the start."),
                code="range",
                params={"part": raw.strip()},
            )
        minutes.add(value)
    if len(minutes) > MAX_OFFSETS:
        raise ValidationError(
            _("At most %(count)d reminders per meeting."), code="too_many", params={"count": MAX_OFFSETS}
        )
    return sorted(minutes, reverse=True)


def format_offset(minutes: int) -> str:
    """One offset in the largest whole unit among days, hours and minutes: "2 days", "90 minutes"."""
    if minutes % DAY == 0:
        count = minutes // DAY
        return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}
    if minutes % HOUR == 0:
        count = minutes // HOUR
        return ngettext("%(count)d hour", "%(count)d hours", count) % {"count": count}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def format_offsets(offsets: list[int]) -> str:
    return ", ".join(format_offset(minutes) for minutes in offsets)


class Moment(Enum):
    LATER = "later"  # not due yet
    DUE = "due"  # due now: within the grace window and before the start
    MISSED = "missed"  # the grace window passed (or the meeting started): never sent


@dataclass(frozen=True)
class Window:
    """The offsets that are due at ``now`` for a meeting starting at ``starts_at``.

    Due means ``starts_at - offset <= now <= starts_at - offset + grace`` and ``now < starts_at``.
    With whole-minute offsets this reduces to ``lowest <= offset <= highest``, which a database
    filter can use directly.
    """

    lowest: int
    highest: int
    started: bool

    def moment(self, offset: int) -> Moment:
        if self.started or offset > self.highest:
            return Moment.MISSED
        if offset < self.lowest:
            return Moment.LATER
        return Moment.DUE


def grace() -> timedelta:
    return timedelta(minutes=settings.REMINDER_GRACE_MINUTES)


def due_window(*, starts_at: datetime, now: datetime) -> Window:
    seconds_left = (starts_at - now).total_seconds()
    # offset * 60 >= seconds_left  <=>  offset >= ceil(seconds_left / 60)
    lowest = -int(-seconds_left // 60)
    # offset * 60 <= seconds_left + grace  <=>  offset <= floor((seconds_left + grace) / 60)
    highest = int((seconds_left + grace().total_seconds()) // 60)
    return Window(lowest=lowest, highest=highest, started=seconds_left <= 0)


def due_at(*, starts_at: datetime, offset: int) -> datetime:
    """The UTC moment a reminder goes out: plain subtraction on UTC, so always exactly ``offset`` before."""
    return starts_at - timedelta(minutes=offset)


def first_offset(offsets: list[int]) -> int | None:
    """The earliest reminder, which also invites the members who have not answered."""
    return max(offsets) if offsets else None
