"""A worker killed with SIGKILL in the middle of a batch, then a new one: at most one duplicate, none missing.

One pool process, so that "the message it was sending" is one message; the claims of the dead
worker open again after ``REMINDER_CLAIM_TIMEOUT_MINUTES`` (three seconds for the test worker).
"""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app
from meetings.enums import RSVPResponse
from meetings.reminders import services
from meetings.reminders.enums import DeliveryStatus
from meetings.reminders.models import Delivery

from .factories import MeetingFactory, RSVPFactory
from .processes import WORKER_SETTINGS, SmtpServer, WorkerProcess, purge_queues, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp(tmp_path):
    server = SmtpServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def workers(django_db_setup, smtp, tmp_path, settings):
    """Starts worker processes on demand (one pool process each) and stops those still running."""
    # Celery carries the time limits in the task message: this process queues with the worker's.
    settings.REMINDER_SEND_SOFT_TIME_LIMIT = int(WORKER_SETTINGS["REMINDER_SEND_SOFT_TIME_LIMIT"])
    settings.REMINDER_SEND_TIME_LIMIT = int(WORKER_SETTINGS["REMINDER_SEND_TIME_LIMIT"])
    settings.REMINDER_BATCH_SIZE = int(WORKER_SETTINGS["REMINDER_BATCH_SIZE"])
    settings.REMINDER_CLAIM_TIMEOUT_MINUTES = float(WORKER_SETTINGS["REMINDER_CLAIM_TIMEOUT_MINUTES"])
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    purge_queues()
    started = []

    def start():
        started.append(WorkerProcess(smtp=smtp, directory=tmp_path, concurrency=1).start())
        return started[-1]

    yield start
    for worker in started:
        worker.stop()
    purge_queues()
    app.conf.task_always_eager = eager


def test_worker_killed_mid_batch_then_a_new_one_at_most_one_duplicate_and_none_missing(smtp, workers):
    smtp.delay = 0.1
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=1, minutes=-1))
    members = [RSVPFactory(meeting=meeting, response=RSVPResponse.GOING).member for _ in range(30)]
    first = workers()

    services.reminders_dispatch()
    wait_until(lambda: len(smtp.accepted()) >= 7, 30, "the first messages")
    first.kill()
    killed_after = len(smtp.accepted())
    held = Delivery.objects.filter(status=DeliveryStatus.CLAIMED).count()

    workers()
    # Beat's part: a tick every half second until every row is sent (the dead claims open after 3 s).
    sent = Delivery.objects.filter(meeting=meeting, status=DeliveryStatus.SENT)
    deadline = time.monotonic() + 40
    while sent.count() < 30 and time.monotonic() < deadline:
        services.reminders_dispatch()
        time.sleep(0.5)
    smtp.settle(count=30)

    per_member = smtp.per_recipient()
    assert 7 <= killed_after < 30
    assert held >= 1  # the kill left a batch claimed
    assert set(per_member) == {member.email for member in members}  # none missing
    assert sum(count - 1 for count in per_member.values()) <= 1  # at most the one in flight, once
    assert set(per_member.values()) <= {1, 2}
    assert sent.count() == 30
    # Each delivery kept its Message-ID: a repeated message is recognisable as the same one.
    assert len({entry["message_id"] for entry in smtp.accepted()}) == 30
    assert Counter(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT: 30}
