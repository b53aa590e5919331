"""Mails of the meetings app that are not reminders (those live in ``meetings.reminders``)."""

from celery import shared_task
from django.contrib.auth import get_user_model

from community.enums import NotificationKind
from community.notifications import send_to_users

from .ical import meeting_url
from .models import Meeting


@shared_task
def send_waitlist_promotion(*, meeting_id: int, member_ids: list[int]) -> int:
    """Tell members taken off the waiting list that they now have a place."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    members = get_user_model().objects.approved().filter(pk__in=member_ids)
    return send_to_users(
        users=members,
        kind=NotificationKind.MEETING_CHANGES,
        template="meetings/email/waitlist_promoted",
        context={"meeting": meeting, "meeting_url": meeting_url(meeting)},
    )
