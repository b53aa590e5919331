"""Reminders and change notices: create delivery rows, claim them, send, record the outcome.

The flow, and why each step is safe to repeat:

1. ``reminders_dispatch`` (every few minutes, from beat) creates the delivery rows that are due,
   under a unique constraint, so two ticks or two dispatchers create each row once. It also
   closes rows that can no longer be sent and hands out send tasks for the rest.
2. A send task calls ``deliveries_send``: it claims a batch of rows in a short transaction
   (``select_for_update(skip_locked=True)``), so two senders never hold the same row; it sends
   the batch over one connection, one message at a time, and marks sent only the rows whose
   message the backend accepted. A claim older than ``REMINDER_CLAIM_TIMEOUT_MINUTES`` (its
   worker died) is open again. The only duplicate left possible is a worker dying after the
   backend accepted a batch and before the database recorded it: at most one batch, once.
3. Everything is checked against the meeting as it is *now*: a reschedule moves the due
   moments, a cancellation closes the reminders, a reminder past its grace window is skipped.

The package re-exports every public name (``from meetings.reminders import services``).
"""

from .dispatch import DispatchResult, reminders_dispatch
from .links import rsvp_from_link
from .rows import (
    CHANGES,
    GAVE_UP,
    NOTICE_RESPONSES,
    REMINDER_RESPONSES,
    change_notice_create,
    change_notice_enqueue,
    reminder_offsets,
    reminder_settings_update,
)
from .sending import TEMPLATES, TRANSIENT_ERRORS, SendResult, deliveries_claim, deliveries_send

__all__ = [
    "CHANGES",
    "GAVE_UP",
    "NOTICE_RESPONSES",
    "REMINDER_RESPONSES",
    "TEMPLATES",
    "TRANSIENT_ERRORS",
    "DispatchResult",
    "SendResult",
    "change_notice_create",
    "change_notice_enqueue",
    "deliveries_claim",
    "deliveries_send",
    "reminder_offsets",
    "reminder_settings_update",
    "reminders_dispatch",
    "rsvp_from_link",
]
