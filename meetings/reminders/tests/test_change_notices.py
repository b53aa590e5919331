from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from community.fragments import is_bump
from community.tests.factories import UserFactory
from meetings.enums import MeetingState, RSVPResponse
from meetings.reminders import services
from meetings.reminders.enums import DeliveryKind, DeliveryStatus
from meetings.reminders.models import Delivery
from meetings.reminders.tasks import send_meeting_change_notice
from meetings.services import meeting_reschedule

from .factories import MeetingFactory, RSVPFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    starts_at = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    return MeetingFactory(title="Autumn meeting", starts_at=starts_at)


@pytest.fixture
def concerned(meeting):
    """Going, maybe and waitlisted members are told; not going, silent and opted-out ones are not."""
    members = {
        response: RSVPFactory(meeting=meeting, response=response).member
        for response in (RSVPResponse.GOING, RSVPResponse.MAYBE, RSVPResponse.WAITLISTED, RSVPResponse.NOT_GOING)
    }
    RSVPFactory(meeting=meeting, member=UserFactory(notify_meeting_changes=False))
    UserFactory()
    return sorted(members[r].email for r in (RSVPResponse.GOING, RSVPResponse.MAYBE, RSVPResponse.WAITLISTED))


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def reschedule(meeting, days):
    """Through the real service (its notice task is run by the test, as on-commit callbacks do not fire here)."""
    meeting_reschedule(meeting=meeting, starts_at=meeting.starts_at + timedelta(days=days), by=None)


def cancel(meeting, reason):
    meeting.state = MeetingState.CANCELLED
    meeting.cancel_reason = reason
    meeting.sequence += 1
    meeting.save(update_fields=["state", "cancel_reason", "sequence"])


def test_reschedule_notice_goes_to_members_concerned_with_the_new_date(meeting, concerned):
    reschedule(meeting, 2)

    send_meeting_change_notice(meeting_id=meeting.pk, change="rescheduled")

    assert recipients() == concerned
    message = mail.outbox[0]
    local = timezone.localtime(meeting.starts_at, timezone=timezone.get_fixed_timezone(0))
    assert message.subject == f"New date: Autumn meeting, {local:%A} {local.day} {local:%B %Y}"
    assert "has moved" in message.body
    event = icalendar.Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")[0]
    assert event.decoded("dtstart") == meeting.starts_at
    assert event["sequence"] == 1


def test_notice_task_run_twice_sends_once(meeting, concerned):
    reschedule(meeting, 2)

    send_meeting_change_notice(meeting_id=meeting.pk, change="rescheduled")
    send_meeting_change_notice(meeting_id=meeting.pk, change="rescheduled")

    assert recipients() == concerned
    assert Delivery.objects.filter(kind=DeliveryKind.RESCHEDULED, status=DeliveryStatus.SENT).count() == 3


def test_each_reschedule_gets_its_own_notice(meeting, concerned):
    reschedule(meeting, 2)
    send_meeting_change_notice(meeting_id=meeting.pk, change="rescheduled")
    reschedule(meeting, 5)
    send_meeting_change_notice(meeting_id=meeting.pk, change="rescheduled")

    assert recipients() == sorted(concerned * 2)


def test_cancellation_notice_carries_the_reason_and_a_cancelled_calendar_event(meeting, concerned):
    cancel(meeting, "Too many members on leave.")

    send_meeting_change_notice(meeting_id=meeting.pk, change="cancelled")

    assert recipients() == concerned
    message = mail.outbox[0]
    assert message.subject.startswith("Cancelled: Autumn meeting, ")
    assert "Reason: Too many members on leave.\n" in message.body
    event = icalendar.Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED"
    assert event["sequence"] == 1


def test_notice_that_no_longer_matches_the_meeting_is_not_sent(meeting, concerned):
    # The task runs after the meeting was cancelled: the "new date" notice is moot.
    cancel(meeting, "")

    send_meeting_change_notice(meeting_id=meeting.pk, change="rescheduled")

    assert mail.outbox == []
    assert Delivery.objects.count() == 0


def test_notice_task_for_a_deleted_meeting_returns_quietly(meeting):
    meeting_id = meeting.pk
    meeting.delete()

    send_meeting_change_notice(meeting_id=meeting_id, change="cancelled")

    assert mail.outbox == []


def test_enqueue_sends_after_commit(meeting, concerned, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        cancel(meeting, "")
        services.change_notice_enqueue(meeting=meeting, change="cancelled")

    assert len([c for c in callbacks if not is_bump(c)]) == 1
    assert recipients() == concerned


def test_enqueue_inside_a_rolled_back_transaction_sends_nothing(meeting, concerned, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        cancel(meeting, "")
        services.change_notice_enqueue(meeting=meeting, change="cancelled")
        raise RuntimeError("the cancellation failed")

    assert callbacks == []
    assert mail.outbox == []
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PUBLISHED


def test_enqueue_refuses_an_unknown_change(meeting):
    with pytest.raises(ValueError, match="Unknown change 'moved'"):
        services.change_notice_enqueue(meeting=meeting, change="moved")
