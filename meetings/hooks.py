"""What the meetings app adds to the composed pages (listed in ``portal.composition``)."""

import rules
from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from . import selectors, services
from .models import RSVP, ActionItem, Attendance, Minutes, Resource
from .rules import next_moment

SEARCH_LIMIT = 10


def dashboard_panels(user) -> list[dict]:
    meeting = selectors.next_meeting_for(user)
    full = bool(meeting and meeting.capacity is not None and meeting.going_count >= meeting.capacity)
    panels = [
        {
            "template": "meetings/includes/_dashboard_next_meeting.html",
            "meeting": meeting,
            "my_response": meeting.my_response if meeting else None,
            "full": full,
            "can_join": rules.has_perm("meetings.join_meeting", user, meeting) if meeting else False,
            # The clock opens the link, starts the meeting (answers close) and ends it (the next one shows).
            "changes_at": next_moment(meeting) if meeting else None,
        }
    ]
    actions = selectors.open_actions_for(user)
    if actions:
        panels.append({"template": "meetings/includes/_dashboard_actions.html", "actions": actions})
    return panels


def digest_sections(member, windows) -> list[dict]:
    """New meetings and minutes published in the window of the ``meeting_news`` topic."""
    window = windows.get("meeting_news")
    if window is None:
        return []
    published, minutes = selectors.meeting_news_between(start=window[0], end=window[1])
    return [
        {
            "topic": "meeting_news",
            "title": _("New meetings"),
            "items": [{"title": m.title, "path": m.get_absolute_url(), "when": m.starts_at} for m in published],
        },
        {
            "topic": "meeting_news",
            "title": _("Minutes published"),
            "items": [{"title": m.title, "path": m.get_absolute_url() + "", "when": m.starts_at} for m in minutes],
        },
    ]


def profile_sections(member, viewer) -> list[dict]:
    attended = list(selectors.meetings_attended(member).only("pk", "title", "starts_at")[:50])
    section = {
        "template": "meetings/includes/_profile_meetings.html",
        "member": member,
        "attended": attended,
        "own": viewer is not None and viewer.pk == member.pk,
        "feed_url": None,
    }
    if section["own"]:
        section["feed_url"] = services.calendar_feed_url(member=member)
    return [section]


def export_personal_data(user) -> dict:
    rsvps = RSVP.objects.filter(member=user).select_related("meeting").order_by("meeting__starts_at")
    attendances = Attendance.objects.filter(member=user).select_related("meeting").order_by("meeting__starts_at")
    resources = Resource.objects.filter(added_by=user).select_related("meeting").order_by("created_at")
    minutes = Minutes.history.filter(history_user=user).select_related("agenda_item__meeting")
    actions = ActionItem.objects.filter(owner=user).select_related("meeting").order_by("created_at", "pk")
    return {
        "meetings": {
            "rsvps": [
                {
                    "meeting": r.meeting.title,
                    "starts_at": r.meeting.starts_at.isoformat(),
                    "response": r.response,
                    "answered_at": r.responded_at.isoformat(),
                    "updated_at": r.updated_at.isoformat(),
                }
                for r in rsvps
            ],
            "attendance": [
                {"meeting": a.meeting.title, "starts_at": a.meeting.starts_at.isoformat()} for a in attendances
            ],
            "resources": [
                {
                    "meeting": r.meeting.title,
                    "title": r.title,
                    "description": r.description,
                    "url": r.url,
                    "file": r.file.name if r.file else "",
                    "added_at": r.created_at.isoformat(),
                }
                for r in resources
            ],
            "minutes_revisions": [
                {
                    "meeting": m.agenda_item.meeting.title if m.agenda_item else "",
                    "agenda_item": m.agenda_item.title if m.agenda_item else "",
                    "text": m.text,
                    "at": m.history_date.isoformat(),
                }
                for m in minutes
            ],
            "actions": [
                {
                    "meeting": a.meeting.title,
                    "text": a.text,
                    "due_on": a.due_on.isoformat() if a.due_on else None,
                    "done_at": a.done_at.isoformat() if a.done_at else None,
                }
                for a in actions
            ],
        }
    }


def search(query, user) -> list[dict]:
    results = []
    meetings = (
        selectors.visible_meetings(user)
        .filter(Q(title__icontains=query) | Q(description__icontains=query))
        .order_by("-starts_at")[:SEARCH_LIMIT]
    )
    for meeting in meetings:
        results.append(
            {
                "kind": _("Meetings"),
                "title": meeting.title,
                "url": reverse("meetings:detail", args=[meeting.pk]),
                "excerpt": Truncator(meeting.description).words(30),
            }
        )
    for resource in selectors.resource_library(query=query)[:SEARCH_LIMIT]:
        results.append(
            {
                "kind": _("Meeting resources"),
                "title": resource.title,
                "url": reverse("meetings:detail", args=[resource.meeting_id]) + "#resources",
                "excerpt": Truncator(resource.description).words(30),
            }
        )
    return results


def seed_demo(stdout) -> None:
    from .seed import seed_meetings

    seed_meetings(stdout)
