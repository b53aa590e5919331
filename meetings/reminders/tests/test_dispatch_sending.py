"""Sending reminders: queries per message, SMTP failures and retries, refused addresses, claims
of workers that died."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.enums import RSVPResponse
from meetings.reminders import services
from meetings.reminders.enums import DeliveryStatus
from meetings.reminders.models import Delivery

from .dispatching import DAY_BEFORE, STARTS_AT, answer, recipients, run
from .factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_queries_per_message_are_two_whatever_the_number_of_recipients(settings):
    settings.REMINDER_BATCH_SIZE = 100

    def queries_to_send(members):
        meeting = MeetingFactory(starts_at=STARTS_AT)
        AgendaItemFactory(meeting=meeting)
        for _ in range(members):
            answer(meeting, RSVPResponse.GOING)
        services.reminders_dispatch(now=DAY_BEFORE)
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as queries:
            services.deliveries_send(meeting_id=meeting.pk, now=DAY_BEFORE)
        # Members of the other meetings have not answered this one: invited too (no reminder went out).
        assert len(mail.outbox) == Delivery.objects.filter(meeting=meeting, status=DeliveryStatus.SENT).count()
        return len(queries), len(mail.outbox)

    one, one_sent = queries_to_send(1)
    ten, ten_sent = queries_to_send(10)
    # Per message: one re-check of the row against the meeting and the answer, one update once accepted.
    assert (one_sent, ten_sent) == (1, 11)
    assert ten - one == 2 * (ten_sent - one_sent)


def test_transient_smtp_failure_keeps_what_was_sent_and_retries_the_rest(meeting, flaky_mail):
    members = [answer(meeting, RSVPResponse.GOING) for _ in range(3)]
    services.reminders_dispatch(now=DAY_BEFORE)
    flaky_mail.configure(accept_before_failing=1, failures=1)

    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.deliveries_send(meeting_id=meeting.pk, now=DAY_BEFORE)

    rows = list(Delivery.objects.order_by("pk").values_list("status", "attempts", "last_error"))
    error = "SMTPServerDisconnected: Connection unexpectedly closed"
    assert rows == [
        (DeliveryStatus.SENT, 1, ""),
        (DeliveryStatus.PENDING, 1, error),
        (DeliveryStatus.PENDING, 0, error),
    ]

    services.deliveries_send(meeting_id=meeting.pk, now=DAY_BEFORE + timedelta(minutes=1))

    assert recipients() == sorted(m.email for m in members)
    assert list(Delivery.objects.order_by("pk").values_list("status", "attempts")) == [
        (DeliveryStatus.SENT, 1),
        (DeliveryStatus.SENT, 2),
        (DeliveryStatus.SENT, 1),
    ]


def test_send_task_retries_on_smtp_errors_and_sends_each_message_once(flaky_mail, settings):
    from meetings.reminders.tasks import send_meeting_deliveries

    settings.REMINDER_BATCH_SIZE = 2
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=1, minutes=-1))
    members = [answer(meeting, RSVPResponse.GOING) for _ in range(3)]
    services.reminders_dispatch()
    flaky_mail.configure(accept_before_failing=1, failures=1)

    # Eager here, so the retry runs at once instead of after its back-off.
    send_meeting_deliveries.apply(kwargs={"meeting_id": meeting.pk}, throw=False)

    assert send_meeting_deliveries.autoretry_for == (smtplib.SMTPException, OSError)
    assert recipients() == sorted(m.email for m in members)
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_refused_address_is_recorded_as_failed_and_the_others_still_go(meeting, flaky_mail):
    refused = answer(meeting, RSVPResponse.GOING, email="gone@example.org")
    other = answer(meeting, RSVPResponse.GOING)
    flaky_mail.configure(refused=[refused.email])

    run(DAY_BEFORE)

    assert recipients() == [other.email]
    row = Delivery.objects.get(member=refused)
    assert row.status == DeliveryStatus.FAILED
    assert row.last_error.startswith("SMTPRecipientsRefused:")


def test_row_is_marked_failed_after_the_last_attempt(meeting, flaky_mail, settings):
    settings.REMINDER_MAX_ATTEMPTS = 2
    answer(meeting, RSVPResponse.GOING)
    services.reminders_dispatch(now=DAY_BEFORE)
    flaky_mail.configure(failures=5)

    for minute in (1, 2):
        with pytest.raises(smtplib.SMTPServerDisconnected):
            services.deliveries_send(meeting_id=meeting.pk, now=DAY_BEFORE + timedelta(minutes=minute))
    run(DAY_BEFORE + timedelta(minutes=3))

    assert mail.outbox == []
    row = Delivery.objects.get()
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, 2)


def test_unexpected_error_releases_the_batch_with_the_error_and_gives_up_after_the_last_attempt(
    meeting, flaky_mail, settings
):
    settings.REMINDER_MAX_ATTEMPTS = 2
    answer(meeting, RSVPResponse.GOING)
    services.reminders_dispatch(now=DAY_BEFORE)
    flaky_mail.configure(crashes=2)

    with pytest.raises(RuntimeError):
        services.deliveries_send(meeting_id=meeting.pk, now=DAY_BEFORE)
    row = Delivery.objects.get()
    assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.PENDING, 1, "RuntimeError: Unexpected failure")

    with pytest.raises(RuntimeError):
        services.deliveries_send(meeting_id=meeting.pk, now=DAY_BEFORE + timedelta(minutes=5))
    run(DAY_BEFORE + timedelta(minutes=10))

    assert mail.outbox == []
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, 2)


def test_claim_that_killed_its_worker_too_often_is_given_up(meeting, settings):
    settings.REMINDER_MAX_ATTEMPTS = 3
    member = answer(meeting, RSVPResponse.GOING)
    Delivery.objects.create(
        meeting=meeting,
        member=member,
        offset_minutes=1440,
        starts_at=STARTS_AT,
        status=DeliveryStatus.CLAIMED,
        claimed_at=DAY_BEFORE,
        claim_token="dead-worker",
        attempts=3,
    )

    result = run(DAY_BEFORE + timedelta(minutes=30))

    assert mail.outbox == []
    assert result.closed == 1
    row = Delivery.objects.get()
    assert (row.status, row.last_error) == (DeliveryStatus.FAILED, services.GAVE_UP)
