"""Contributions of reminders to the meeting page (to be called from ``meetings.hooks``)."""

from community.rules import is_facilitator

from .selectors import reminder_summary


def meeting_sections(meeting, viewer) -> list[dict]:
    """Facilitators only: which reminders went out, when, to how many members, and failures."""
    if not is_facilitator(viewer):
        return []
    return [
        {
            "template": "meetings/reminders/_meeting_section.html",
            "meeting": meeting,
            "reminder_summary": reminder_summary(meeting=meeting),
            "show_manage_link": True,
        }
    ]


def export_personal_data(user) -> dict:
    """The meeting emails addressed to the member: which, when, and what became of them."""
    deliveries = user.meeting_deliveries.select_related("meeting").order_by("created_at", "pk")
    return {
        "meeting_emails": [
            {
                "meeting": delivery.meeting.title,
                "meeting_id": delivery.meeting_id,
                "kind": delivery.kind,
                "minutes_before_start": delivery.offset_minutes if delivery.kind == "reminder" else None,
                "status": delivery.status,
                "sent_at": delivery.sent_at.isoformat() if delivery.sent_at else None,
            }
            for delivery in deliveries
        ]
    }
