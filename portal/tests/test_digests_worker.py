"""Digests through a real Celery worker process and a real SMTP server (the reminders' helpers)."""

import threading
import zoneinfo
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from community.tests.factories import UserFactory
from meetings.reminders import periods, services
from meetings.reminders.enums import DeliveryKind, DeliveryStatus
from meetings.reminders.models import Delivery
from meetings.reminders.tasks import dispatch_reminders
from meetings.reminders.tests.processes import WORKER_SETTINGS, purge_queues
from themes.models import Theme
from themes.tests.factories import ThemeFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail_server(worker, smtp, settings):
    """The SMTP server, emptied; this process hands out work with the worker's settings."""
    settings.REMINDER_SEND_SOFT_TIME_LIMIT = int(WORKER_SETTINGS["REMINDER_SEND_SOFT_TIME_LIMIT"])
    settings.REMINDER_SEND_TIME_LIMIT = int(WORKER_SETTINGS["REMINDER_SEND_TIME_LIMIT"])
    settings.REMINDER_BATCH_SIZE = int(WORKER_SETTINGS["REMINDER_BATCH_SIZE"])
    settings.REMINDER_SEND_TASKS = int(WORKER_SETTINGS["REMINDER_SEND_TASKS"])
    smtp.delay = 0
    smtp.clear()
    yield smtp
    purge_queues()


def test_digests_through_the_worker_one_per_member_per_period_none_when_nothing_new(mail_server):
    """Two dispatchers at once, then beat's tick run by the worker: each member with news gets one
    digest for the period that ended last, members with nothing new get none."""
    utc = zoneinfo.ZoneInfo("UTC")
    end = periods.latest_boundary(frequency="weekly", now=timezone.now(), zone=utc)
    start = periods.previous_boundary(frequency="weekly", boundary=end, zone=utc)
    with_news = [UserFactory(theme_updates_frequency="weekly", theme_updates_digested_until=start) for _ in range(6)]
    nothing_new = [UserFactory(guide_updates_frequency="weekly", guide_updates_digested_until=start) for _ in range(2)]
    theme = ThemeFactory(title="Gamified speed networking")
    Theme.objects.filter(pk=theme.pk).update(created_at=end - timedelta(hours=1))
    barrier = threading.Barrier(2)

    def dispatch():
        barrier.wait()
        try:
            services.digests_dispatch()
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    accepted = mail_server.settle(count=6)
    dispatch_reminders.delay()  # beat's next tick, in the worker: nothing more is due
    accepted = mail_server.settle(count=6, quiet=1.5)

    assert mail_server.per_recipient() == Counter({member.email: 1 for member in with_news})
    assert len({entry["message_id"] for entry in accepted}) == 6
    digests = Delivery.objects.filter(kind=DeliveryKind.WEEKLY_DIGEST)
    assert sorted(digests.values_list("member_id", "status", "period_end")) == sorted(
        [(m.pk, DeliveryStatus.SENT, end) for m in with_news]
        + [(m.pk, DeliveryStatus.SKIPPED, end) for m in nothing_new]
    )
