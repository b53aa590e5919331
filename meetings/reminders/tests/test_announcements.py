"""Publishing a meeting announces it once, through the delivery rows, to the members who want new
meetings right away; the first reminder that goes out still invites those who have not answered."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from community.tests.factories import UserFactory, facilitator, pending_member
from meetings import services as meeting_services
from meetings.enums import MeetingState, RSVPResponse
from meetings.models import RSVP
from meetings.reminders import services
from meetings.reminders.enums import DeliveryKind, DeliveryStatus
from meetings.reminders.models import Delivery

from .dispatching import run
from .factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    start = (timezone.now() + timedelta(days=20)).replace(second=0, microsecond=0)
    meeting = MeetingFactory(title="Autumn meeting", starts_at=start, state=MeetingState.DRAFT)
    AgendaItemFactory(meeting=meeting, title="Hot news", position=1)
    return meeting


def host():
    """The facilitator who publishes (hears of new meetings some other way)."""
    return facilitator(meeting_news_frequency="never", notify_reminders=False)


def publish(meeting, capture):
    with capture(execute=True):
        meeting_services.meeting_publish(meeting=meeting, by=host())


def announcement_rows(meeting):
    return sorted(
        Delivery.objects.filter(meeting=meeting, kind=DeliveryKind.ANNOUNCEMENT).values_list("member__email", "status")
    )


def test_new_members_hear_of_new_meetings_right_away_by_default():
    assert UserFactory().meeting_news_frequency == "immediate"


def test_publishing_announces_to_members_who_want_it_right_away_in_their_language(
    draft, django_capture_on_commit_callbacks
):
    portuguese = UserFactory(email="pt@example.org", preferred_language="pt", time_zone="America/Sao_Paulo")
    UserFactory(email="weekly@example.org", meeting_news_frequency="weekly")
    UserFactory(email="never@example.org", meeting_news_frequency="never")
    pending_member(email="pending@example.org")

    publish(draft, django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [[portuguese.email]]
    message = mail.outbox[0]
    assert message.subject == "Nova reunião: Autumn meeting"
    assert message.body.startswith(f"Olá {portuguese.display_name},")
    assert "America/Sao_Paulo" in message.body
    assert "/going/" in message.body and "/not_going/" in message.body
    assert "https://meet.example.org/keep-in-pact" in message.body
    assert [name for name, _content, _type in message.attachments] == ["meeting.ics"]
    assert message.extra_headers["Message-ID"] == Delivery.objects.get(member=portuguese).message_id
    assert announcement_rows(draft) == [(portuguese.email, DeliveryStatus.SENT)]


def test_announcement_is_sent_once_whatever_runs_again(draft, django_capture_on_commit_callbacks):
    UserFactory(email="a@example.org")
    UserFactory(email="b@example.org")
    publish(draft, django_capture_on_commit_callbacks)

    # Beat ticks, a second dispatcher, a task queued twice: nothing more goes out.
    run(timezone.now())
    run(timezone.now())
    assert services.meeting_announcement_create(meeting=draft) == 2  # asked again: the constraint keeps one each
    services.deliveries_send(meeting_id=draft.pk)

    assert sorted(address for m in mail.outbox for address in m.to) == ["a@example.org", "b@example.org"]
    assert announcement_rows(draft) == [("a@example.org", DeliveryStatus.SENT), ("b@example.org", DeliveryStatus.SENT)]


def test_announcement_rows_roll_back_with_a_failed_publication(draft):
    UserFactory()
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        meeting_services.meeting_publish(meeting=draft, by=host())
        raise RuntimeError("the publication fails after the signal")

    assert Delivery.objects.count() == 0


def test_meeting_cancelled_before_the_announcement_goes_sends_nothing(draft, django_capture_on_commit_callbacks):
    UserFactory(email="a@example.org")
    meeting_services.meeting_publish(meeting=draft, by=host())  # on-commit send not run: a lost task
    assert announcement_rows(draft) == [("a@example.org", DeliveryStatus.PENDING)]

    meeting_services.meeting_cancel(meeting=draft, reason="No room", by=host())
    run(timezone.now())

    assert mail.outbox == []
    assert announcement_rows(draft) == [("a@example.org", DeliveryStatus.SKIPPED)]


def test_lost_send_task_is_handed_out_by_the_next_tick(draft):
    UserFactory(email="a@example.org")
    meeting_services.meeting_publish(meeting=draft, by=host())  # the send task never ran

    run(timezone.now())

    assert [m.to for m in mail.outbox] == [["a@example.org"]]


def test_member_who_answered_before_it_went_gets_their_answer_not_the_links(draft):
    member = UserFactory()
    meeting_services.meeting_publish(meeting=draft, by=host())
    RSVP.objects.create(meeting=draft, member=member, response=RSVPResponse.GOING)

    run(timezone.now())

    assert "/going/" not in mail.outbox[0].body
    assert "Your answer: Going." in mail.outbox[0].body


def test_member_who_moved_new_meetings_to_a_digest_meanwhile_is_skipped(draft):
    member = UserFactory()
    meeting_services.meeting_publish(meeting=draft, by=host())
    type(member).objects.filter(pk=member.pk).update(meeting_news_frequency="monthly")

    run(timezone.now())

    assert mail.outbox == []
    assert announcement_rows(draft) == [(member.email, DeliveryStatus.SKIPPED)]


def test_first_reminder_still_invites_those_who_have_not_answered_after_the_announcement(
    django_capture_on_commit_callbacks,
):
    """Published 23 h 50 ahead: the 7-day reminder is long missed, the 1-day one is in its grace
    window; it goes to everyone who has not answered, though they were announced the meeting."""
    now = timezone.now().replace(microsecond=0)
    meeting = MeetingFactory(starts_at=now + timedelta(hours=23, minutes=50), state=MeetingState.DRAFT)
    silent = UserFactory(email="silent@example.org")
    declined = UserFactory(email="declined@example.org")
    publish(meeting, django_capture_on_commit_callbacks)
    RSVP.objects.create(meeting=meeting, member=declined, response=RSVPResponse.NOT_GOING)
    mail.outbox.clear()

    run(now)

    assert [m.to for m in mail.outbox] == [[silent.email]]
    assert "/going/" in mail.outbox[0].body
    rows = Delivery.objects.filter(meeting=meeting, kind=DeliveryKind.REMINDER)
    assert list(rows.values_list("member__email", "offset_minutes", "status")) == [
        (silent.email, 24 * 60, DeliveryStatus.SENT)
    ]


def test_last_reminder_carries_the_join_button_the_first_does_not(meeting):
    member = UserFactory()
    RSVP.objects.create(meeting=meeting, member=member, response=RSVPResponse.GOING)

    run(meeting.starts_at - timedelta(days=7))
    run(meeting.starts_at - timedelta(days=1))

    first, last = mail.outbox
    assert "Join the meeting" not in first.body
    assert f"Join the meeting: {meeting.online_url}" in last.body
    assert f'href="{meeting.online_url}"' in last.alternatives[0][0]
