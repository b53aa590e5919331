"""Mails of the meetings app that are not reminders (those live in ``meetings.reminders``)."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from community.enums import NotificationKind
from community.notifications import send_to_users

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
        context={"meeting": meeting, "meeting_url": settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk])},
    )
