"""Reminders and change notices: create delivery rows, claim them, send, record the outcome.

The flow, and why each step is safe to repeat:

1. ``reminders_dispatch`` (every few minutes, from beat) creates the delivery rows that are due,
   under a unique constraint, so two ticks or two dispatchers create each row once. It also
   closes rows that can no longer be sent and hands out send tasks for the rest.
2. A send task calls ``deliveries_send``: it claims a batch of rows in a short transaction
   (``select_for_update(skip_locked=True)``), so two senders never hold the same row; it sends
   the batch over one connection, one message at a time, and marks each row sent right after the
   server accepted its message. A claim older than ``REMINDER_CLAIM_TIMEOUT_MINUTES`` (its worker
   died) is open again. The only duplicate left possible is a worker killed after the server
   accepted a message and before the database recorded it: that one message, once.
3. Every row is about one version of the meeting (``Delivery.version``) and is checked against
   the meeting as it is *now*, right before its message: a reschedule starts a new version (its
   reminders and notice), the rows of the old one are superseded, a cancellation closes the
   reminders, a reminder past its grace window is skipped, nothing begins too close to the start.

The announcement of a published meeting and the summary after its minutes are published are
rows too, one per member per meeting ever (``ONCE_KINDS``), created in the transaction that
publishes and sent like the rest.

Digests (``digests``) use the same rows, one per member per frequency and period, and the same
claim and per-message bookkeeping.

The package re-exports every public name (``from meetings.reminders import services``).
"""

from .digests import digest_content, digest_row_create, digests_dispatch, digests_send
from .dispatch import DispatchResult, reminders_dispatch
from .links import rsvp_from_link
from .rows import (
    CHANGES,
    GAVE_UP,
    NOTICE_RESPONSES,
    REMINDER_RESPONSES,
    change_notice_create,
    change_notice_enqueue,
    deliveries_send_enqueue,
    delivery_message_id,
    meeting_announcement_create,
    meeting_summary_create,
    reminder_offsets,
    reminder_settings_update,
    schedule_version,
    schedule_version_record,
)
from .sending import OUT_OF_TIME, TEMPLATES, TRANSIENT_ERRORS, SendResult, deliveries_claim, deliveries_send

__all__ = [
    "CHANGES",
    "GAVE_UP",
    "NOTICE_RESPONSES",
    "OUT_OF_TIME",
    "REMINDER_RESPONSES",
    "TEMPLATES",
    "TRANSIENT_ERRORS",
    "DispatchResult",
    "SendResult",
    "change_notice_create",
    "change_notice_enqueue",
    "deliveries_claim",
    "deliveries_send",
    "deliveries_send_enqueue",
    "delivery_message_id",
    "digest_content",
    "digest_row_create",
    "digests_dispatch",
    "digests_send",
    "meeting_announcement_create",
    "meeting_summary_create",
    "reminder_offsets",
    "reminder_settings_update",
    "reminders_dispatch",
    "rsvp_from_link",
    "schedule_version",
    "schedule_version_record",
]
