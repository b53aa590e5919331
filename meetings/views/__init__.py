"""Meeting pages. Views check access, call one selector or service, and render or redirect.

The package re-exports every view for ``meetings/urls.py``.
"""

from .agenda import agenda, agenda_item_edit, agenda_item_move, agenda_item_remove
from .calendars import FEED_TOKEN, calendar_feed, calendar_feed_regenerate, meeting_ical
from .meeting import (
    PAST_PER_PAGE,
    meeting_answers,
    meeting_cancel,
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_list,
    meeting_publish,
    rsvp,
)
from .records import (
    RESOURCES_PER_PAGE,
    action_done,
    attendance,
    minutes,
    minutes_history,
    minutes_unpublish,
    resource_add,
    resource_file,
    resource_library,
    resource_remove,
)

__all__ = [
    "FEED_TOKEN",
    "PAST_PER_PAGE",
    "RESOURCES_PER_PAGE",
    "action_done",
    "agenda",
    "agenda_item_edit",
    "agenda_item_move",
    "agenda_item_remove",
    "attendance",
    "calendar_feed",
    "calendar_feed_regenerate",
    "meeting_answers",
    "meeting_cancel",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_ical",
    "meeting_list",
    "meeting_publish",
    "minutes",
    "minutes_history",
    "minutes_unpublish",
    "resource_add",
    "resource_file",
    "resource_library",
    "resource_remove",
    "rsvp",
]
