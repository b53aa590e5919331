"""Contributions of reminders to the meeting page (to be called from ``meetings.hooks``)."""

from community.rules import is_facilitator

from .selectors import reminder_summary


def meeting_sections(meeting, viewer) -> list[dict]:
    """Facilitators only: which reminders went out, when, to how many members, and failures."""
    if not is_facilitator(viewer):
        return []
    return [
        {
            "template": "meetings/reminders/_summary.html",
            "meeting": meeting,
            "reminder_summary": reminder_summary(meeting=meeting),
            "show_manage_link": True,
        }
    ]
