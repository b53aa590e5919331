"""How reminders follow a meeting's lifecycle (connected in ``RemindersConfig.ready``; see ``meetings.signals``)."""

from meetings.enums import MeetingState

from .services import (
    change_notice_enqueue,
    deliveries_send_enqueue,
    meeting_announcement_create,
    meeting_summary_create,
    schedule_version_record,
)


def notice_rescheduled(sender, *, meeting, **kwargs) -> None:
    """A new schedule version starts at once, in the reschedule's transaction (reminders follow the new
    start, never the old one); members of a published meeting are told its new time once it commits."""
    schedule_version_record(meeting=meeting)
    if meeting.state == MeetingState.PUBLISHED:
        change_notice_enqueue(meeting=meeting, change="rescheduled")


def notice_cancelled(sender, *, meeting, previous_state, **kwargs) -> None:
    """Members are told of a cancellation once it commits, if they had seen the meeting."""
    if previous_state == MeetingState.PUBLISHED:
        change_notice_enqueue(meeting=meeting, change="cancelled")


def announce_published(sender, *, meeting, **kwargs) -> None:
    """Members who want new meetings right away are announced it: the rows are made in the
    publication's transaction (so a crash after it commits loses nothing: beat hands them out),
    the sending starts once it commits."""
    if meeting_announcement_create(meeting=meeting):
        deliveries_send_enqueue(meeting=meeting)


def summary_published(sender, *, meeting, **kwargs) -> None:
    """Those who took part get the summary once the minutes' publication commits (once ever)."""
    if meeting_summary_create(meeting=meeting):
        deliveries_send_enqueue(meeting=meeting)
