"""Celery tasks: thin wrappers that take ids and call the services.

No task is ever queued with a long ETA or countdown (Redis redelivers such tasks when the ETA
passes its visibility timeout, which would send duplicates): beat runs ``dispatch_reminders``
every few minutes and the delivery rows carry the state. Retries wait at most ten minutes.
"""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from meetings.enums import MeetingState
from meetings.models import Meeting

from . import services

RETRY_ON_MAIL_ERRORS = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}


def _limits() -> dict:
    """The send tasks' time limits, read when a task is queued: Celery carries them in the message.

    The soft limit is held and checked between two messages (see ``services.sending``).
    """
    return {"soft_time_limit": settings.REMINDER_SEND_SOFT_TIME_LIMIT, "time_limit": settings.REMINDER_SEND_TIME_LIMIT}


def queue_send(*, meeting_id: int) -> None:
    """Queue one send task for the meeting's due deliveries (call it after commit)."""
    send_meeting_deliveries.apply_async(kwargs={"meeting_id": meeting_id}, **_limits())


def queue_change_notice(*, meeting_id: int, change: str) -> None:
    """Queue the notice of a reschedule or cancellation (call it after commit)."""
    send_meeting_change_notice.apply_async(kwargs={"meeting_id": meeting_id, "change": change}, **_limits())


def queue_digests_send() -> None:
    """Queue one task sending the open digests (call it after commit)."""
    send_digests.apply_async(**_limits())


def _send(meeting_id: int) -> None:
    result = services.deliveries_send(meeting_id=meeting_id, time_budget=settings.REMINDER_SEND_TIME_BUDGET)
    if result.stopped in services.OUT_OF_TIME:
        # Out of time with rows left: the next task takes over at once (no countdown).
        queue_send(meeting_id=meeting_id)


@shared_task
def dispatch_reminders() -> None:
    """Beat, every few minutes: create the due reminder and digest rows and hand out the sending."""
    services.reminders_dispatch()
    services.digests_dispatch()


@shared_task(**RETRY_ON_MAIL_ERRORS)
def send_digests() -> None:
    """Send the open digests, batch by batch (several may run side by side)."""
    services.digests_send()


@shared_task(**RETRY_ON_MAIL_ERRORS)
def announce_meeting(*, meeting_id: int) -> None:
    """Kept for tasks queued before announcements became delivery rows: make the rows (once) and send."""
    meeting = Meeting.objects.filter(pk=meeting_id, state=MeetingState.PUBLISHED).first()
    if meeting is None:
        return
    services.meeting_announcement_create(meeting=meeting)
    _send(meeting_id)


@shared_task(**RETRY_ON_MAIL_ERRORS)
def send_meeting_deliveries(*, meeting_id: int) -> None:
    """Send the meeting's deliveries that are due, batch by batch (several may run side by side)."""
    _send(meeting_id)


@shared_task(**RETRY_ON_MAIL_ERRORS)
def send_meeting_change_notice(*, meeting_id: int, change: str) -> None:
    """Tell the members concerned that the meeting was rescheduled or cancelled (``change``)."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return
    services.change_notice_create(meeting=meeting, change=change)
    _send(meeting_id)
