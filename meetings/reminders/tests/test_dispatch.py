"""Reminders end to end in one process: dispatch, claim, send, record (the worker tests run the same through Celery)."""

import smtplib
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.core import mail

from community.enums import MemberState
from community.tests.factories import UserFactory
from meetings.enums import MeetingState, RSVPResponse
from meetings.reminders import services
from meetings.reminders.enums import DeliveryKind, DeliveryStatus
from meetings.reminders.models import Delivery, ReminderSettings
from meetings.reminders.tests.dispatching import DAY_BEFORE, STARTS_AT, WEEK_BEFORE, answer, recipients, reschedule, run
from meetings.services import meeting_update

pytestmark = pytest.mark.django_db


def test_due_reminder_goes_once_to_members_going_or_maybe(meeting):
    going = answer(meeting, RSVPResponse.GOING)
    maybe = answer(meeting, RSVPResponse.MAYBE)
    answer(meeting, RSVPResponse.NOT_GOING)
    answer(meeting, RSVPResponse.WAITLISTED)
    UserFactory()  # has not answered: only the first reminder that goes out is for them
    run(WEEK_BEFORE)
    mail.outbox.clear()

    run(DAY_BEFORE)

    assert recipients() == sorted([going.email, maybe.email])
    rows = Delivery.objects.filter(offset_minutes=1440).order_by("member_id")
    assert [(r.member_id, r.kind, r.offset_minutes, r.status, r.sent_at) for r in rows] == [
        (going.pk, DeliveryKind.REMINDER, 1440, DeliveryStatus.SENT, DAY_BEFORE),
        (maybe.pk, DeliveryKind.REMINDER, 1440, DeliveryStatus.SENT, DAY_BEFORE),
    ]


def test_dispatch_twice_in_a_row_sends_nothing_more(meeting):
    going = answer(meeting, RSVPResponse.GOING)

    run(DAY_BEFORE)
    second = run(DAY_BEFORE + timedelta(minutes=5))

    assert recipients() == [going.email]
    assert second.created == 0
    assert second.handed_out == {}
    assert Delivery.objects.count() == 1


def test_one_day_reminder_on_the_day_clocks_change_goes_out_exactly_24_hours_before(meeting):
    going = answer(meeting, RSVPResponse.GOING)

    run(DAY_BEFORE - timedelta(seconds=1))
    assert mail.outbox == []

    run(DAY_BEFORE)

    assert recipients() == [going.email]
    assert Delivery.objects.get().sent_at == datetime(2027, 3, 27, 7, 0, tzinfo=UTC)


def test_first_reminder_invites_members_who_have_not_answered_with_signed_links(meeting):
    going = answer(meeting, RSVPResponse.GOING)
    silent = UserFactory()
    UserFactory(state=MemberState.PENDING)
    UserFactory(state=MemberState.SUSPENDED)
    UserFactory(is_active=False)

    run(WEEK_BEFORE)

    assert recipients() == sorted([going.email, silent.email])
    by_address = {message.to[0]: message for message in mail.outbox}
    invitation = by_address[silent.email].body
    assert invitation.count(f"http://testserver/meetings/{meeting.pk}/rsvp/") == 3
    for response in ("going", "maybe", "not_going"):
        assert f"/{response}/\n" in invitation
    assert "/rsvp/" not in by_address[going.email].body
    assert "Your answer: Going." in by_address[going.email].body


def test_opted_out_member_gets_no_reminder(meeting):
    answer(meeting, RSVPResponse.GOING, notify_reminders=False)
    UserFactory(notify_reminders=False)

    run(WEEK_BEFORE)

    assert mail.outbox == []
    assert Delivery.objects.count() == 0


def test_member_who_opts_out_or_declines_after_the_row_was_created_gets_nothing(meeting):
    opting_out = answer(meeting, RSVPResponse.GOING)
    declining = answer(meeting, RSVPResponse.MAYBE)
    services.reminders_dispatch(now=DAY_BEFORE)
    opting_out.notify_reminders = False
    opting_out.save(update_fields=["notify_reminders"])
    declining.rsvps.update(response=RSVPResponse.NOT_GOING)

    result = services.deliveries_send(meeting_id=meeting.pk, now=DAY_BEFORE)

    assert mail.outbox == []
    assert (result.sent, result.skipped) == (0, 2)
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SKIPPED}


def test_reminder_whose_moment_passed_beyond_the_grace_window_is_skipped_not_sent_late(meeting, settings):
    settings.REMINDER_GRACE_MINUTES = 120
    answer(meeting, RSVPResponse.GOING)
    # Rows created at the moment, then the system was down for longer than the grace window.
    services.reminders_dispatch(now=DAY_BEFORE)

    result = run(DAY_BEFORE + timedelta(minutes=121))

    assert mail.outbox == []
    assert result.closed == 1
    assert Delivery.objects.get().status == DeliveryStatus.SKIPPED


def test_reminder_within_the_grace_window_still_goes(meeting, settings):
    settings.REMINDER_GRACE_MINUTES = 120
    going = answer(meeting, RSVPResponse.GOING)

    run(DAY_BEFORE + timedelta(minutes=119))

    assert recipients() == [going.email]


def test_no_reminder_once_the_meeting_started(meeting):
    ReminderSettings.objects.create(meeting=meeting, offsets=[30])
    answer(meeting, RSVPResponse.GOING)
    services.reminders_dispatch(now=STARTS_AT - timedelta(minutes=30))

    run(STARTS_AT)

    assert mail.outbox == []
    assert Delivery.objects.get().status == DeliveryStatus.SKIPPED


def test_reschedule_supersedes_the_reminder_not_sent_and_reminds_of_the_new_date(meeting):
    going = answer(meeting, RSVPResponse.GOING)
    # A row was created at the old moment but not sent yet when the meeting moved three days later.
    services.reminders_dispatch(now=DAY_BEFORE)
    reschedule(meeting, STARTS_AT + timedelta(days=3), DAY_BEFORE + timedelta(minutes=1))

    run(DAY_BEFORE + timedelta(minutes=5))
    assert mail.outbox == []
    assert list(Delivery.objects.values_list("status", "version", "starts_at")) == [
        (DeliveryStatus.SUPERSEDED, 0, STARTS_AT)
    ]

    run(DAY_BEFORE + timedelta(days=3))

    assert recipients() == [going.email]
    assert "Wednesday 31 March 2027" in mail.outbox[0].subject
    assert list(Delivery.objects.order_by("pk").values_list("status", "version", "starts_at")) == [
        (DeliveryStatus.SUPERSEDED, 0, STARTS_AT),
        (DeliveryStatus.SENT, 1, STARTS_AT + timedelta(days=3)),
    ]


def test_postponed_after_its_one_day_reminder_went_out_gets_it_again_the_day_before_the_new_date(meeting):
    going = answer(meeting, RSVPResponse.GOING)
    run(DAY_BEFORE)
    reschedule(meeting, STARTS_AT + timedelta(days=7), DAY_BEFORE + timedelta(hours=1))
    mail.outbox.clear()

    run(DAY_BEFORE + timedelta(hours=2))  # the old "1 day before" moment is still in its grace window
    assert mail.outbox == []
    run(DAY_BEFORE + timedelta(days=7))

    assert recipients() == [going.email]
    assert "Sunday 4 April 2027" in mail.outbox[0].subject
    reminders = Delivery.objects.filter(kind=DeliveryKind.REMINDER).order_by("pk")
    assert list(reminders.values_list("version", "offset_minutes", "status")) == [
        (0, 1440, DeliveryStatus.SENT),
        (1, 1440, DeliveryStatus.SENT),
    ]


def test_edit_that_bumps_the_sequence_without_moving_sends_no_second_reminder(meeting):
    answer(meeting, RSVPResponse.GOING)
    run(DAY_BEFORE)
    meeting_update(meeting=meeting, by=None, title="Spring meeting (room 2)")

    run(DAY_BEFORE + timedelta(minutes=5))

    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert len(mail.outbox) == 1
    assert Delivery.objects.count() == 1


def test_first_reminder_missed_the_next_one_invites_members_who_have_not_answered(meeting):
    silent = UserFactory()
    going = answer(meeting, RSVPResponse.GOING)
    # The system was down for the 7-day reminder: only the 1-day one goes out.
    run(DAY_BEFORE)

    assert recipients() == sorted([silent.email, going.email])
    invitation = next(message for message in mail.outbox if message.to == [silent.email])
    assert invitation.body.count(f"http://testserver/meetings/{meeting.pk}/rsvp/") == 3
    assert "/rsvp/" not in next(message for message in mail.outbox if message.to == [going.email]).body
    assert list(Delivery.objects.filter(member=silent).values_list("offset_minutes", "status")) == [
        (1440, DeliveryStatus.SENT)
    ]


def test_each_delivery_keeps_one_message_id_across_attempts(meeting, flaky_mail):
    answer(meeting, RSVPResponse.GOING)
    services.reminders_dispatch(now=DAY_BEFORE)
    row = Delivery.objects.get()
    flaky_mail.configure(failures=1)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.deliveries_send(meeting_id=meeting.pk, now=DAY_BEFORE)

    services.deliveries_send(meeting_id=meeting.pk, now=DAY_BEFORE + timedelta(minutes=1))

    assert row.message_id.startswith("<")
    assert row.message_id.endswith("@testserver>")
    assert f".reminder.{meeting.pk}.{row.member_id}.1440.0@" in row.message_id
    assert [message.extra_headers["Message-ID"] for message in mail.outbox] == [row.message_id]
    assert mail.outbox[0].message()["Message-ID"] == row.message_id


def test_cancel_stops_the_reminders(meeting):
    answer(meeting, RSVPResponse.GOING)
    services.reminders_dispatch(now=WEEK_BEFORE)
    meeting.state = MeetingState.CANCELLED
    meeting.save(update_fields=["state"])

    run(WEEK_BEFORE + timedelta(minutes=5))
    run(DAY_BEFORE)

    assert mail.outbox == []
    assert list(Delivery.objects.values_list("status", flat=True)) == [DeliveryStatus.SKIPPED]


def test_draft_meeting_sends_no_reminder(meeting):
    meeting.state = MeetingState.DRAFT
    meeting.save(update_fields=["state"])
    answer(meeting, RSVPResponse.GOING)

    run(DAY_BEFORE)

    assert mail.outbox == []


def test_facilitators_offsets_replace_the_defaults(meeting):
    ReminderSettings.objects.create(meeting=meeting, offsets=[14 * 1440, 60])
    going = answer(meeting, RSVPResponse.GOING)
    silent = UserFactory()

    run(WEEK_BEFORE)
    run(DAY_BEFORE)
    assert mail.outbox == []

    run(STARTS_AT - timedelta(days=14))
    run(STARTS_AT - timedelta(hours=1))

    assert recipients() == sorted([going.email, silent.email, going.email])
    assert sorted(Delivery.objects.values_list("member_id", "offset_minutes")) == sorted(
        [(going.pk, 20160), (silent.pk, 20160), (going.pk, 60)]
    )


def test_invitation_created_for_the_first_reminder_goes_even_if_an_earlier_offset_is_added_meanwhile(meeting):
    silent = UserFactory()
    services.reminders_dispatch(now=WEEK_BEFORE)
    # Too late for a 14-day reminder, but it is now the largest offset in the list.
    ReminderSettings.objects.create(meeting=meeting, offsets=[14 * 1440, 7 * 1440, 1440])

    services.deliveries_send(meeting_id=meeting.pk, now=WEEK_BEFORE + timedelta(minutes=1))

    assert recipients() == [silent.email]


def test_claim_held_by_a_live_sender_is_left_alone_and_a_stale_one_is_sent_once(meeting, settings):
    settings.REMINDER_CLAIM_TIMEOUT_MINUTES = 10
    member = answer(meeting, RSVPResponse.GOING)
    Delivery.objects.create(
        meeting=meeting,
        member=member,
        offset_minutes=1440,
        starts_at=STARTS_AT,
        status=DeliveryStatus.CLAIMED,
        claimed_at=DAY_BEFORE,
        claim_token="dead-worker",
        attempts=1,
    )

    run(DAY_BEFORE + timedelta(minutes=9))
    assert mail.outbox == []

    run(DAY_BEFORE + timedelta(minutes=11))
    run(DAY_BEFORE + timedelta(minutes=16))

    assert recipients() == [member.email]
    row = Delivery.objects.get()
    assert (row.status, row.attempts, row.claim_token) == (DeliveryStatus.SENT, 2, "")


def test_reminder_content_in_the_recipients_zone_with_agenda_link_and_calendar(meeting):
    member = answer(meeting, RSVPResponse.GOING, display_name="Ana Ferreira", time_zone="America/Montreal")
    meeting.agenda_items.get(position=2).leads.add(UserFactory(display_name="Joana Silva", state=MemberState.PENDING))

    run(DAY_BEFORE)

    [message] = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "Reminder: Spring meeting, Sunday 28 March 2027"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    text = message.body
    assert text.startswith("Hello Ana Ferreira,\n")
    assert "When: Sunday 28 March 2027, 03:00–05:00 (America/Montreal)\n" in text
    assert "Online link: https://meet.example.org/keep-in-pact\n" in text
    assert "- Hot news (20 min)\n- Human bookstore: valorising a partnership (45 min) — Joana Silva\n" in text
    assert f"Meeting page: http://testserver/meetings/{meeting.pk}/\n" in text
    assert "http://testserver/members/me/edit/#notifications" in text
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert '<a href="https://meet.example.org/keep-in-pact">' in html
    assert '<a href="http://testserver/members/me/edit/#notifications">' in html
    assert "<li>Hot news (20 min)</li>" in html
    [(name, content, content_type)] = message.attachments
    assert (name, content_type) == ("meeting.ics", "text/calendar")
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == STARTS_AT
    assert event.decoded("dtend") == STARTS_AT + timedelta(hours=2)
    assert str(event["uid"]) == f"meeting-{meeting.pk}@testserver"
    assert event["sequence"] == 0
    assert str(event["status"]) == "CONFIRMED"


def test_french_speaking_member_gets_the_french_mail(meeting):
    answer(meeting, RSVPResponse.GOING, preferred_language="fr", time_zone="Europe/Paris")

    run(DAY_BEFORE)

    [message] = mail.outbox
    # Day and month names come from Django's own French catalogue.
    assert message.subject.endswith("Spring meeting, dimanche 28 mars 2027")
    assert "dimanche 28 mars 2027, 09:00–11:00 (Europe/Paris)" in message.body
    # A standard agenda title speaks the reader's language; a title of one's own stays as written.
    assert "- Actualités du moment (20 min)" in message.body
    assert "- Human bookstore: valorising a partnership (45 min)" in message.body
    assert '<html lang="fr">' in message.alternatives[0][0]
