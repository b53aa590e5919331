"""How reminders follow a meeting's lifecycle (connected in ``RemindersConfig.ready``; see ``meetings.signals``)."""

from meetings.enums import MeetingState

from .services import change_notice_enqueue


def notice_rescheduled(sender, *, meeting, **kwargs) -> None:
    """Members of a published meeting are told its new time once the change commits."""
    if meeting.state == MeetingState.PUBLISHED:
        change_notice_enqueue(meeting=meeting, change="rescheduled")


def notice_cancelled(sender, *, meeting, previous_state, **kwargs) -> None:
    """Members are told of a cancellation once it commits, if they had seen the meeting."""
    if previous_state == MeetingState.PUBLISHED:
        change_notice_enqueue(meeting=meeting, change="cancelled")
