"""Every write on meetings: scheduling, the agenda, RSVPs, attendance, minutes, resources, feeds.

Functions take keyword-only arguments, raise ``django.core.exceptions.ValidationError``
(or its subclass ``RSVPRefused``) with a message for the member when a rule refuses
the change, and lock the rows they read-then-write.

The package re-exports every public name: ``from meetings import services`` then ``services.rsvp_set(...)``.
"""

from .actions import ActionChange, action_done_set, actions_save
from .agenda import (
    agenda_item_add,
    agenda_item_leads_set,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_retitle,
    agenda_item_update,
    bookstore_item_claim,
    bookstore_item_release,
)
from .feeds import calendar_feed_get, calendar_feed_regenerate, calendar_feed_url
from .personal_data import member_data_erase
from .records import attendance_record, minutes_publish, minutes_record, minutes_save, resource_add, resource_remove
from .rsvp import MeetingFull, RSVPRefused, rsvp_set
from .scheduling import (
    EDITABLE_FIELDS,
    MAX_AHEAD,
    MEETING_MOVES,
    STANDARD_AGENDA,
    meeting_cancel,
    meeting_create,
    meeting_publish,
    meeting_reschedule,
    meeting_transition,
    meeting_update,
    suggested_start,
    validate_online_url,
)

__all__ = [
    "EDITABLE_FIELDS",
    "MAX_AHEAD",
    "MEETING_MOVES",
    "STANDARD_AGENDA",
    "ActionChange",
    "MeetingFull",
    "RSVPRefused",
    "action_done_set",
    "actions_save",
    "agenda_item_add",
    "agenda_item_leads_set",
    "agenda_item_move",
    "agenda_item_remove",
    "agenda_item_retitle",
    "agenda_item_update",
    "attendance_record",
    "bookstore_item_claim",
    "bookstore_item_release",
    "calendar_feed_get",
    "calendar_feed_regenerate",
    "calendar_feed_url",
    "meeting_cancel",
    "meeting_create",
    "meeting_publish",
    "meeting_reschedule",
    "meeting_transition",
    "meeting_update",
    "member_data_erase",
    "minutes_publish",
    "minutes_record",
    "minutes_save",
    "resource_add",
    "resource_remove",
    "rsvp_set",
    "suggested_start",
    "validate_online_url",
]
