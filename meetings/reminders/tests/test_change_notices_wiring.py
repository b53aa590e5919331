"""The meeting services tell the members concerned when a published meeting moves or is cancelled."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from community.tests.factories import UserFactory, facilitator
from meetings import services
from meetings.enums import MeetingState, RSVPResponse
from meetings.models import RSVP
from meetings.reminders.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    start = (timezone.now() + timedelta(days=20)).replace(second=0, microsecond=0)
    meeting = MeetingFactory(title="Winter meeting", starts_at=start, state=MeetingState.PUBLISHED)
    RSVP.objects.create(meeting=meeting, member=UserFactory(email="going@example.org"), response=RSVPResponse.GOING)
    RSVP.objects.create(meeting=meeting, member=UserFactory(email="no@example.org"), response=RSVPResponse.NOT_GOING)
    return meeting


def test_reschedule_of_published_meeting_sends_notice_to_members_going(published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_reschedule(
            meeting=published, starts_at=published.starts_at + timedelta(days=7), by=facilitator()
        )

    assert [m.to for m in mail.outbox] == [["going@example.org"]]
    assert "Winter meeting" in mail.outbox[0].subject


def test_cancel_of_published_meeting_sends_notice(published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=published, reason="Too close to the holidays", by=facilitator())

    assert [m.to for m in mail.outbox] == [["going@example.org"]]
    assert "Too close to the holidays" in mail.outbox[0].body


def test_reschedule_rolled_back_sends_nothing(published, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.meeting_reschedule(meeting=published, starts_at=published.starts_at + timedelta(days=7), by=None)
        raise RuntimeError("the surrounding work failed")

    assert callbacks == []
    assert mail.outbox == []
    published.refresh_from_db()
    assert published.sequence == 0
