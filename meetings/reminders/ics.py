"""The `.ics` attached to reminders and notices (RFC 5545, built with icalendar)."""

from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from ..enums import MeetingState


def meeting_uid(meeting) -> str:
    """Stable across reschedules, so calendar apps update the event instead of adding one."""
    return f"meeting-{meeting.pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def meeting_ics(meeting, *, agenda_items=()) -> bytes:
    """One VEVENT for the meeting at its current start, SEQUENCE from the meeting, cancelled if it is."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Keep in Pact//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    lines = [meeting.description.strip()] if meeting.description.strip() else []
    lines += [f"- {item.title} ({item.duration_minutes} min)" for item in agenda_items]
    if meeting.online_url:
        lines.append(meeting.online_url)
        event.add("url", meeting.online_url)
    if lines:
        event.add("description", "\n".join(lines))
    if meeting.place or meeting.online_url:
        event.add("location", meeting.place or meeting.online_url)
    cancelled = meeting.state == MeetingState.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
