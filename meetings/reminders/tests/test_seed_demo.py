import io

import pytest
from django.utils import timezone

from community.tests.factories import UserFactory
from meetings import hooks as meetings_hooks
from meetings.models import RSVP, Meeting
from meetings.reminders import hooks
from meetings.reminders.models import Delivery
from meetings.reminders.selectors import reminder_summary

pytestmark = pytest.mark.django_db


def test_seed_demo_records_the_reminders_sent_before_past_meetings():
    UserFactory.create_batch(12)
    UserFactory(groups=["Facilitators"])
    meetings_hooks.seed_demo(io.StringIO())
    hooks.seed_demo(io.StringIO())
    past = Meeting.objects.filter(starts_at__lt=timezone.now()).order_by("-starts_at").first()
    coming = Meeting.objects.filter(starts_at__gt=timezone.now()).first()
    answered = RSVP.objects.filter(meeting=past, response__in=["going", "maybe"]).count()
    assert Delivery.objects.filter(meeting=past, status="sent").count() == 2 * answered
    assert not Delivery.objects.filter(meeting=coming).exists()
    lines = reminder_summary(meeting=past)["reminders"]
    assert [(line.offset, line.counts.sent) for line in lines] == [(10080, answered), (1440, answered)]
    total = Delivery.objects.count()
    meetings_hooks.seed_demo(io.StringIO())
    hooks.seed_demo(io.StringIO())
    assert Delivery.objects.count() == total
