"""Reminders and notices through real worker processes and a real SMTP server, both run by the test.

The worker runs ``celery -A config worker`` (prefork) with short limits (``processes.WORKER_SETTINGS``);
the SMTP server waits a configurable delay before it accepts each message and logs what it accepted,
by Message-ID and recipient, so the tests count what members would really receive.
"""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from meetings.enums import RSVPResponse
from meetings.reminders import services
from meetings.reminders.enums import DeliveryKind, DeliveryStatus
from meetings.reminders.models import Delivery, ReminderSettings
from meetings.services import meeting_cancel, meeting_reschedule

from .factories import MeetingFactory, RSVPFactory
from .processes import WORKER_SETTINGS, purge_queues

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail_server(worker, smtp, settings):
    """The SMTP server, emptied; this process hands out work with the worker's settings.

    Celery puts a task's time limits in the message it sends, so this process sends with the
    worker's limits, as in production where both read the same settings.
    """
    settings.REMINDER_SEND_SOFT_TIME_LIMIT = int(WORKER_SETTINGS["REMINDER_SEND_SOFT_TIME_LIMIT"])
    settings.REMINDER_SEND_TIME_LIMIT = int(WORKER_SETTINGS["REMINDER_SEND_TIME_LIMIT"])
    settings.REMINDER_BATCH_SIZE = int(WORKER_SETTINGS["REMINDER_BATCH_SIZE"])
    settings.REMINDER_SEND_TASKS = int(WORKER_SETTINGS["REMINDER_SEND_TASKS"])
    settings.REMINDER_START_MARGIN_SECONDS = float(WORKER_SETTINGS["REMINDER_START_MARGIN_SECONDS"])
    smtp.delay = 0
    smtp.clear()
    yield smtp
    purge_queues()


def going(meeting, count):
    return [RSVPFactory(meeting=meeting, response=RSVPResponse.GOING).member for _ in range(count)]


def subjects_by_member(accepted) -> dict[str, list[str]]:
    subjects: dict[str, list[str]] = {}
    for entry in accepted:
        subjects.setdefault(entry["to"], []).append(entry["subject"])
    return subjects


def day(moment) -> str:
    local = timezone.localtime(moment, timezone=timezone.get_fixed_timezone(0))
    return f"{local:%A} {local.day} {local:%B %Y}"


def test_moved_a_b_a_b_each_member_going_gets_three_notices(mail_server):
    a = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    b = a + timedelta(days=1)
    meeting = MeetingFactory(title="Moving meeting", starts_at=a)
    members = going(meeting, 3)

    for count, starts_at in ((3, b), (6, a), (9, b)):
        meeting_reschedule(meeting=meeting, starts_at=starts_at, by=None)
        accepted = mail_server.settle(count=count)

    expected = [f"New date: Moving meeting, {day(moment)}" for moment in (b, a, b)]
    assert subjects_by_member(accepted) == {member.email: expected for member in members}
    assert len({entry["message_id"] for entry in accepted}) == 9
    rows = Delivery.objects.filter(kind=DeliveryKind.RESCHEDULED)
    assert sorted(Counter(rows.values_list("version", "status")).items()) == [
        ((1, DeliveryStatus.SENT), 3),
        ((2, DeliveryStatus.SENT), 3),
        ((3, DeliveryStatus.SENT), 3),
    ]


def test_postponed_meeting_gets_its_one_day_reminder_again_for_the_new_date_only(mail_server):
    first = timezone.now() + timedelta(days=1, seconds=-1)
    meeting = MeetingFactory(title="Postponed meeting", starts_at=first)
    members = going(meeting, 2)
    services.reminders_dispatch()
    mail_server.settle(count=2)

    # Postponed by a few seconds: the new "1 day before" moment is a few seconds away.
    second = first + timedelta(seconds=6)
    meeting_reschedule(meeting=meeting, starts_at=second, by=None)
    mail_server.settle(count=4)  # the notice of the new date
    services.reminders_dispatch()
    time.sleep(0.5)
    assert len(mail_server.accepted()) == 4  # not due yet for the new date, and never again for the old one

    while timezone.now() < second - timedelta(days=1):
        time.sleep(0.1)
    services.reminders_dispatch()
    accepted = mail_server.settle(count=6)

    reminder = f"Reminder: Postponed meeting, {day(first)}"
    notice = f"New date: Postponed meeting, {day(second)}"
    assert subjects_by_member(accepted) == {
        member.email: [reminder, notice, f"Reminder: Postponed meeting, {day(second)}"] for member in members
    }
    reminders = Delivery.objects.filter(kind=DeliveryKind.REMINDER, offset_minutes=1440).order_by("version", "pk")
    assert list(reminders.values_list("version", "starts_at", "status")) == [
        (0, first, DeliveryStatus.SENT),
        (0, first, DeliveryStatus.SENT),
        (1, second, DeliveryStatus.SENT),
        (1, second, DeliveryStatus.SENT),
    ]


def test_cancellation_right_after_a_reschedule_sends_one_cancellation(mail_server):
    starts_at = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    meeting = MeetingFactory(title="Short-lived meeting", starts_at=starts_at)
    members = going(meeting, 3)

    meeting_reschedule(meeting=meeting, starts_at=starts_at + timedelta(days=2), by=None)
    meeting_cancel(meeting=meeting, reason="No room after all.", by=None)
    accepted = mail_server.settle(count=3, quiet=1.5)

    per_member = subjects_by_member(accepted)
    assert sorted(per_member) == sorted(member.email for member in members)
    for subjects in per_member.values():
        assert [subject for subject in subjects if subject.startswith("Cancelled: ")] == [
            f"Cancelled: Short-lived meeting, {day(starts_at + timedelta(days=2))}"
        ]
        # The notice of the new date went out only if it was sent before the cancellation.
        assert len(subjects) <= 2
    assert Delivery.objects.filter(kind=DeliveryKind.CANCELLED, status=DeliveryStatus.SENT).count() == 3
    assert not Delivery.objects.filter(status__in=(DeliveryStatus.PENDING, DeliveryStatus.CLAIMED)).exists()


def test_two_dispatchers_at_once_send_each_reminder_once(mail_server):
    mail_server.delay = 0.02
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=1, minutes=-1))
    members = going(meeting, 24)
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
    services.reminders_dispatch()
    accepted = mail_server.settle(count=24)

    assert sum(result.handed_out.get(meeting.pk, 0) for result in results) >= 2
    assert mail_server.per_recipient() == Counter({member.email: 1 for member in members})
    assert len({entry["message_id"] for entry in accepted}) == 24
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 24


def test_soft_time_limit_mid_batch_with_a_slow_server_leaves_nobody_without_or_with_two(mail_server, worker):
    mail_server.delay = 0.25  # 30 messages take over 7 s, shared by two tasks with a 2 s soft limit each
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=1, minutes=-1))
    members = going(meeting, 30)

    services.reminders_dispatch()
    mail_server.settle(count=30, quiet=1.5)

    assert mail_server.per_recipient() == Counter({member.email: 1 for member in members})
    rows = Delivery.objects.filter(meeting=meeting)
    # Sent once each, never reopened: a row released at the limit was not counted as an attempt.
    assert sorted(Counter(rows.values_list("status", "attempts")).items()) == [((DeliveryStatus.SENT, 1), 30)]
    assert "reached the soft time limit" in worker.output()


def test_with_a_slow_server_no_reminder_is_accepted_after_the_start(mail_server):
    mail_server.delay = 0.25
    starts_at = timezone.now() + timedelta(seconds=4)
    meeting = MeetingFactory(starts_at=starts_at)
    ReminderSettings.objects.create(meeting=meeting, offsets=[10])
    members = going(meeting, 40)  # 10 s of sending: most cannot go out before the start

    services.reminders_dispatch()
    while timezone.now() < starts_at + timedelta(seconds=1):
        time.sleep(0.1)
    services.reminders_dispatch()  # after the start: closes what is left
    accepted = mail_server.settle(count=1, quiet=1.0)

    assert accepted
    assert max(entry["at"] for entry in accepted) < starts_at.timestamp()
    assert set(mail_server.per_recipient().values()) == {1}
    rows = Delivery.objects.filter(meeting=meeting)
    statuses = Counter(rows.values_list("status", flat=True))
    assert statuses == {DeliveryStatus.SENT: len(accepted), DeliveryStatus.SKIPPED: 40 - len(accepted)}
    sent_to = set(rows.filter(status=DeliveryStatus.SENT).values_list("member__email", flat=True))
    assert sent_to == {entry["to"] for entry in accepted}
    assert sent_to < {member.email for member in members}
