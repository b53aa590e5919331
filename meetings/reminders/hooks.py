"""What reminders add to the composed pages (listed in ``portal.composition``)."""

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
    """The meeting emails and digests addressed to the member: which, when, and what became of them."""
    deliveries = user.meeting_deliveries.select_related("meeting").order_by("created_at", "pk")
    return {
        "meeting_emails": [
            {
                "meeting": delivery.meeting.title if delivery.meeting_id else None,
                "meeting_id": delivery.meeting_id,
                "period_start": delivery.period_start.isoformat() if delivery.period_start else None,
                "kind": delivery.kind,
                "minutes_before_start": delivery.offset_minutes if delivery.kind == "reminder" else None,
                "status": delivery.status,
                "sent_at": delivery.sent_at.isoformat() if delivery.sent_at else None,
            }
            for delivery in deliveries
        ]
    }


def seed_demo(stdout) -> None:
    """Past demo meetings get the reminders that went out before them (7 and 1 day before, to the
    members who answered going or maybe), so their facilitator view tells what a real one would.

    Idempotent: a meeting that already has deliveries is left alone. Deterministic and bulk.
    """
    from datetime import timedelta

    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from meetings.enums import MeetingState, RSVPResponse
    from meetings.models import RSVP, Meeting

    from .enums import DeliveryKind, DeliveryStatus
    from .models import Delivery, default_offsets

    meetings = {
        meeting.pk: meeting
        for meeting in Meeting.objects.filter(state=MeetingState.PUBLISHED, starts_at__lt=timezone.now())
        .exclude(Exists(Delivery.objects.filter(meeting=OuterRef("pk"))))
        .only("pk", "starts_at")
    }
    if not meetings:
        return
    answers = RSVP.objects.filter(
        meeting_id__in=meetings, response__in=(RSVPResponse.GOING, RSVPResponse.MAYBE)
    ).values_list("meeting_id", "member_id")
    rows = []
    for meeting_id, member_id in answers.order_by("meeting_id", "member_id"):
        starts_at = meetings[meeting_id].starts_at
        for offset in default_offsets():
            rows.append(
                Delivery(
                    meeting_id=meeting_id,
                    member_id=member_id,
                    kind=DeliveryKind.REMINDER,
                    offset_minutes=offset,
                    starts_at=starts_at,
                    status=DeliveryStatus.SENT,
                    attempts=1,
                    sent_at=starts_at - timedelta(minutes=offset) + timedelta(minutes=2),
                )
            )
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    stdout.write(f"  recorded {len(rows)} reminders sent before past meetings")
