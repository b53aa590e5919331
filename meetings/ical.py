"""Meetings as iCalendar (RFC 5545) data: one meeting, or a member's personal feed.

The UID depends only on the meeting's primary key and the site's host, so calendar
apps update the same event when a meeting is rescheduled (SEQUENCE grows) or
cancelled (STATUS:CANCELLED) instead of adding a second one.
"""

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, Event

from .models import Meeting

PRODID = "-//Keep in Pact//Meetings//EN"


def meeting_uid(meeting: Meeting) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "keepinpact"
    return f"meeting-{meeting.pk}@{host}"


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL + meeting.get_absolute_url()


def _calendar(name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def meeting_event(meeting: Meeting, *, stamp: datetime | None = None) -> Event:
    """The VEVENT of one meeting, times in UTC."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp or datetime.now(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("sequence", meeting.sequence)
    event.add("summary", meeting.title)
    url = meeting_url(meeting)
    description = meeting.description.strip()
    if meeting.online_url:
        description = f"{description}\n\n{meeting.online_url}".strip()
    event.add("description", f"{description}\n\n{url}".strip())
    event.add("url", url)
    location = meeting.place or meeting.online_url
    if location:
        event.add("location", location)
    if meeting.online_url:
        # Understood by several calendar apps as the "join" link of an online meeting.
        event.add("x-google-conference", meeting.online_url)
    if meeting.is_cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    if meeting.updated_at:
        event.add("last-modified", meeting.updated_at.astimezone(UTC))
    return event


def meeting_ics(meeting: Meeting, *, method: str = "PUBLISH") -> bytes:
    """The ``.ics`` file of one meeting (also attached to reminder emails).

    ``PUBLISH`` suits a download or a reminder; a cancelled meeting carries
    ``STATUS:CANCELLED`` either way.
    """
    calendar = _calendar()
    calendar.add("method", method)
    calendar.add_component(meeting_event(meeting))
    return calendar.to_ical()


def feed_ics(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """A calendar feed listing several meetings (a member's personal feed)."""
    calendar = _calendar(name)
    stamp = datetime.now(UTC)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, stamp=stamp))
    return calendar.to_ical()
