"""What the reminder dispatch tests share: a meeting on the day clocks move forward, answers,
one beat tick and its sending."""

from datetime import UTC, datetime, timedelta

from django.core import mail

from community.tests.factories import UserFactory
from meetings.reminders import services
from meetings.services import meeting_reschedule

from .factories import RSVPFactory

# 09:00 in Brussels on the day clocks move forward (UTC+1 -> UTC+2 at 02:00): 07:00 UTC.
STARTS_AT = datetime(2027, 3, 28, 7, 0, tzinfo=UTC)
WEEK_BEFORE = STARTS_AT - timedelta(days=7)
DAY_BEFORE = STARTS_AT - timedelta(days=1)


def answer(meeting, response, **member):
    return RSVPFactory(meeting=meeting, response=response, member=UserFactory(**member)).member


def run(now):
    """One beat tick and the sending it hands out, at ``now``."""
    dispatched = services.reminders_dispatch(now=now)
    for meeting_id in dispatched.handed_out:
        services.deliveries_send(meeting_id=meeting_id, now=now)
    return dispatched


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def reschedule(meeting, starts_at, now):
    meeting_reschedule(meeting=meeting, starts_at=starts_at, by=None, now=now)
