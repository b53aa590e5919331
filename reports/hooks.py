"""What the reports add to the composed pages (listed in ``portal.composition``)."""

import rules

from meetings.enums import MeetingState


def meeting_sections(meeting, viewer) -> list[dict]:
    """In a meeting page's attendance area, for facilitators: the attendance sheet as CSV and PDF."""
    if meeting.state == MeetingState.DRAFT or not rules.has_perm("reports.view_reports", viewer):
        return []
    return [{"template": "reports/includes/_meeting_attendance_sheet.html", "meeting": meeting, "area": "attendance"}]
