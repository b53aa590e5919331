"""Reminders through a real Celery worker and the real Redis broker (not eager mode).

The worker runs in this process (threads pool, two at a time), so it shares ``mail.outbox``.
The tests commit for real (``transaction=True``): the worker's threads see only committed rows.
"""

import threading
import time
from datetime import timedelta

import pytest
import redis
from celery import signals
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from community.tests.factories import UserFactory
from config.celery import app
from meetings.enums import MeetingState, RSVPResponse
from meetings.reminders import services
from meetings.reminders.enums import DeliveryStatus
from meetings.reminders.models import Delivery
from meetings.reminders.tasks import dispatch_reminders

from .factories import MeetingFactory, RSVPFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


class TaskLog:
    """Counts the tasks the in-process worker starts and finishes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.started = 0
        self.finished = 0

    def on_prerun(self, **kwargs):
        with self.lock:
            self.started += 1

    def on_postrun(self, **kwargs):
        with self.lock:
            self.finished += 1

    @property
    def running(self) -> int:
        with self.lock:
            return self.started - self.finished


@pytest.fixture(scope="module")
def worker():
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.control.purge()
    log = TaskLog()
    signals.task_prerun.connect(log.on_prerun, weak=False)
    signals.task_postrun.connect(log.on_postrun, weak=False)
    try:
        with start_worker(
            app,
            pool="threads",
            concurrency=2,
            perform_ping_check=False,
            shutdown_timeout=30,
            queues=[django_settings.CELERY_TASK_DEFAULT_QUEUE, django_settings.REMINDERS_QUEUE],
        ):
            yield log
    finally:
        signals.task_prerun.disconnect(log.on_prerun)
        signals.task_postrun.disconnect(log.on_postrun)
        app.conf.task_always_eager = eager


def queued() -> int:
    broker = redis.Redis.from_url(django_settings.CELERY_BROKER_URL)
    return sum(
        broker.llen(queue) for queue in (django_settings.CELERY_TASK_DEFAULT_QUEUE, django_settings.REMINDERS_QUEUE)
    )


def wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("The worker did not finish in time.")
        time.sleep(0.05)


def settle(worker, *, sent: int):
    """Wait until ``sent`` rows are sent and the worker has nothing queued or running for a while."""
    wait_until(lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() >= sent)
    quiet_since = [time.monotonic()]

    def quiet():
        if queued() or worker.running:
            quiet_since[0] = time.monotonic()
        return time.monotonic() - quiet_since[0] > 0.5

    wait_until(quiet)


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def meeting_due_now(**kwargs):
    """A published meeting whose 1-day reminder became due a minute ago."""
    return MeetingFactory(starts_at=timezone.now() + timedelta(days=1, minutes=-1), **kwargs)


def going(meeting, count, response=RSVPResponse.GOING, **member):
    return [RSVPFactory(meeting=meeting, response=response, member=UserFactory(**member)).member for _ in range(count)]


def test_due_reminder_reaches_the_outbox_exactly_once_per_member(worker):
    meeting = meeting_due_now()
    expected = going(meeting, 3) + going(meeting, 1, RSVPResponse.MAYBE)
    going(meeting, 1, RSVPResponse.NOT_GOING)
    going(meeting, 1, notify_reminders=False)
    # Not answered: invited by the first reminder that goes out (the 7-day one was missed).
    expected.append(UserFactory())

    dispatch_reminders.delay()
    settle(worker, sent=5)

    assert recipients() == sorted(member.email for member in expected)
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 5


def test_dispatch_twice_concurrently_then_twice_in_a_row_sends_no_duplicate(worker, settings):
    settings.REMINDER_BATCH_SIZE = 3
    meeting = meeting_due_now()
    members = going(meeting, 20)
    barrier = threading.Barrier(2)
    results = []

    def dispatch():
        barrier.wait()
        try:
            results.append(services.reminders_dispatch())
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    settle(worker, sent=20)
    dispatch_reminders.delay()
    dispatch_reminders.delay()
    time.sleep(0.2)
    settle(worker, sent=20)

    assert len(results) == 2
    # Both dispatchers handed out send tasks, which competed for the same rows.
    assert sum(result.handed_out.get(meeting.pk, 0) for result in results) >= 2
    assert recipients() == sorted(member.email for member in members)
    assert Delivery.objects.count() == 20


def test_delivery_claimed_by_a_dead_worker_is_sent_once_after_the_timeout(worker, settings):
    settings.REMINDER_CLAIM_TIMEOUT_MINUTES = 10
    meeting = meeting_due_now()
    dead, alive, lost = going(meeting, 1), going(meeting, 1), going(meeting, 1)
    now = timezone.now()

    def row(member, **state):
        return Delivery(meeting=meeting, member=member[0], offset_minutes=1440, starts_at=meeting.starts_at, **state)

    Delivery.objects.bulk_create(
        [
            # Claimed by a worker that died eleven minutes ago.
            row(dead, status=DeliveryStatus.CLAIMED, claimed_at=now - timedelta(minutes=11), claim_token="dead"),
            # Claimed a minute ago by a worker that is still sending.
            row(alive, status=DeliveryStatus.CLAIMED, claimed_at=now - timedelta(minutes=1), claim_token="alive"),
            # Created, but its send task was lost (Redis flushed).
            row(lost),
        ]
    )

    dispatch_reminders.delay()
    settle(worker, sent=2)
    dispatch_reminders.delay()
    time.sleep(0.2)
    settle(worker, sent=2)

    assert recipients() == sorted([dead[0].email, lost[0].email])
    still_held = Delivery.objects.get(member=alive[0])
    assert (still_held.status, still_held.claim_token) == (DeliveryStatus.CLAIMED, "alive")


def test_change_notice_enqueued_in_a_rolled_back_transaction_sends_nothing(worker):
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=5))
    [member] = going(meeting, 1)

    with pytest.raises(RuntimeError), transaction.atomic():
        meeting.state = MeetingState.CANCELLED
        meeting.save(update_fields=["state"])
        services.change_notice_enqueue(meeting=meeting, change="cancelled")
        raise RuntimeError("cancelling failed")

    assert queued() == 0
    time.sleep(0.3)
    assert worker.running == 0
    assert mail.outbox == []
    assert Delivery.objects.count() == 0

    with transaction.atomic():
        meeting.state = MeetingState.CANCELLED
        meeting.save(update_fields=["state"])
        services.change_notice_enqueue(meeting=meeting, change="cancelled")
    settle(worker, sent=1)

    assert recipients() == [member.email]
    assert mail.outbox[0].subject.startswith("Cancelled: ")
