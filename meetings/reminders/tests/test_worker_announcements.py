"""The announcement of a published meeting and the summary after its minutes, through a real worker
and a real SMTP server, with beat ticks handing the same rows out meanwhile: each member gets each
message exactly once."""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from community.tests.factories import UserFactory, facilitator
from meetings import services as meeting_services
from meetings.enums import MeetingState, RSVPResponse
from meetings.models import Attendance
from meetings.reminders import services
from meetings.reminders.enums import DeliveryKind, DeliveryStatus
from meetings.reminders.models import Delivery

from .factories import MeetingFactory, RSVPFactory
from .processes import WORKER_SETTINGS, purge_queues

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail_server(worker, smtp, settings):
    # Celery carries the time limits in the task message: this process queues with the worker's.
    settings.REMINDER_SEND_SOFT_TIME_LIMIT = int(WORKER_SETTINGS["REMINDER_SEND_SOFT_TIME_LIMIT"])
    settings.REMINDER_SEND_TIME_LIMIT = int(WORKER_SETTINGS["REMINDER_SEND_TIME_LIMIT"])
    settings.REMINDER_BATCH_SIZE = int(WORKER_SETTINGS["REMINDER_BATCH_SIZE"])
    settings.REMINDER_SEND_TASKS = int(WORKER_SETTINGS["REMINDER_SEND_TASKS"])
    smtp.delay = 0.05
    smtp.clear()
    yield smtp
    purge_queues()


def host():
    return facilitator(meeting_news_frequency="never", notify_reminders=False)


def ticks_while_sending(rows, count: int, seconds: float = 30) -> None:
    """Beat's part: a dispatch every 0.2 s (each hands the open rows out again) until all are sent."""
    deadline = time.monotonic() + seconds
    while rows.filter(status=DeliveryStatus.SENT).count() < count and time.monotonic() < deadline:
        services.reminders_dispatch()
        time.sleep(0.2)


def test_announcement_reaches_each_member_once_though_beat_hands_it_out_again(mail_server):
    members = [UserFactory() for _ in range(12)]
    UserFactory(meeting_news_frequency="weekly")
    meeting = MeetingFactory(title="Announced meeting", state=MeetingState.DRAFT)

    meeting_services.meeting_publish(meeting=meeting, by=host())
    rows = Delivery.objects.filter(meeting=meeting, kind=DeliveryKind.ANNOUNCEMENT)
    ticks_while_sending(rows, 12)
    accepted = mail_server.settle(count=12)

    assert mail_server.per_recipient() == Counter({member.email: 1 for member in members})
    assert {entry["subject"] for entry in accepted} == {"New meeting: Announced meeting"}
    message_ids = sorted(entry["message_id"].strip() for entry in accepted)
    assert message_ids == sorted(rows.values_list("message_id", flat=True))
    assert Counter(rows.values_list("status", flat=True)) == {DeliveryStatus.SENT: 12}


def test_summary_goes_once_to_those_present_or_who_answered_even_when_published_again(mail_server):
    meeting = MeetingFactory(title="Past meeting", starts_at=timezone.now() - timedelta(days=1))
    present = [UserFactory() for _ in range(4)]
    for member in present:
        Attendance.objects.create(meeting=meeting, member=member)
    maybe = RSVPFactory(meeting=meeting, response=RSVPResponse.MAYBE).member
    RSVPFactory(meeting=meeting, response=RSVPResponse.NOT_GOING)
    by = host()

    meeting_services.minutes_publish(meeting=meeting, by=by)
    rows = Delivery.objects.filter(meeting=meeting, kind=DeliveryKind.SUMMARY)
    ticks_while_sending(rows, 5)
    mail_server.settle(count=5)
    meeting_services.minutes_publish(meeting=meeting, by=by, published=False)
    meeting_services.minutes_publish(meeting=meeting, by=by)
    services.reminders_dispatch()
    accepted = mail_server.settle(count=5, quiet=1.5)

    assert mail_server.per_recipient() == Counter({member.email: 1 for member in [*present, maybe]})
    assert {entry["subject"] for entry in accepted} == {"After the meeting: Past meeting"}
    assert Counter(rows.values_list("status", flat=True)) == {DeliveryStatus.SENT: 5}
