"""A meeting's lifecycle events, for the apps built on meetings (reminders, networking, themes...).

``meetings`` does not know who listens: each app connects its receivers in its
``AppConfig.ready``. Every signal is sent with ``sender=Meeting`` by the service that
makes the change, **inside its transaction**, after the meeting row is saved: a receiver
may write in the same transaction (it rolls back with the change) and must queue any
mail or task with ``transaction.on_commit``. Receivers must not swallow errors: an
exception aborts the change.

- ``meeting_published(meeting, by)``: a draft became visible to members.
- ``meeting_rescheduled(meeting, by)``: the start, length (and maybe zone) changed; the
  calendar SEQUENCE already grew. Sent for drafts too: check ``meeting.state``.
- ``minutes_published(meeting, by)``: the minutes became visible to members (sent again when
  they are published again after being hidden).
- ``meeting_cancelled(meeting, by, previous_state)``: the meeting is cancelled;
  ``previous_state`` tells whether members had seen it (``published``) or not (``draft``).
"""

from django.dispatch import Signal

meeting_published = Signal()
meeting_rescheduled = Signal()
meeting_cancelled = Signal()
minutes_published = Signal()
