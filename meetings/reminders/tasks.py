"""Celery tasks: thin wrappers that take ids and call the services.

No task is ever queued with a long ETA or countdown (Redis redelivers such tasks when the ETA
passes its visibility timeout, which would send duplicates): beat runs ``dispatch_reminders``
every few minutes and the delivery rows carry the state. Retries wait at most ten minutes.
"""

from smtplib import SMTPException

from celery import shared_task

from meetings.models import Meeting

from . import services

# Seconds a send task works before leaving the rest to the next one (well under the soft time limit).
SEND_TIME_BUDGET = 120

RETRY_ON_MAIL_ERRORS = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task
def dispatch_reminders() -> None:
    """Beat, every few minutes: create the due reminder rows and hand out the sending."""
    services.reminders_dispatch()


@shared_task(**RETRY_ON_MAIL_ERRORS)
def send_meeting_deliveries(*, meeting_id: int) -> None:
    """Send the meeting's deliveries that are due, batch by batch (several may run side by side)."""
    services.deliveries_send(meeting_id=meeting_id, time_budget=SEND_TIME_BUDGET)


@shared_task(**RETRY_ON_MAIL_ERRORS)
def send_meeting_change_notice(*, meeting_id: int, change: str) -> None:
    """Tell the members concerned that the meeting was rescheduled or cancelled (``change``)."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return
    services.change_notice_create(meeting=meeting, change=change)
    services.deliveries_send(meeting_id=meeting_id, time_budget=SEND_TIME_BUDGET)
