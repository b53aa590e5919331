"""Every service that takes ``by`` records it: in the meeting's history, with a reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import AgendaItem, Meeting, Resource
from meetings.tests.factories import AgendaItemFactory, MeetingFactory, ResourceFactory, past_meeting

pytestmark = pytest.mark.django_db


def _last_revision(meeting):
    return meeting.history.order_by("-history_id").values_list("history_user_id", "history_change_reason").first()


def test_reschedule_records_who_moved_the_meeting(facilitator):
    meeting = MeetingFactory()
    new_start = (timezone.now() + timedelta(days=20)).replace(microsecond=0)

    services.meeting_reschedule(meeting=meeting, starts_at=new_start, by=facilitator)

    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.sequence) == (new_start, 1)
    assert _last_revision(meeting) == (facilitator.pk, "rescheduled")
    assert meeting.history.order_by("-history_id").first().starts_at == new_start


def test_adding_an_agenda_item_records_who(facilitator):
    meeting = MeetingFactory()

    item = services.agenda_item_add(meeting=meeting, by=facilitator, title="Partner map", duration_minutes=15)

    assert AgendaItem.objects.get(pk=item.pk).title == "Partner map"
    assert _last_revision(meeting) == (facilitator.pk, "agenda item added: Partner map")


def test_changing_an_agenda_item_records_who(facilitator):
    item = AgendaItemFactory(title="Old title")

    services.agenda_item_update(
        item=item, by=facilitator, title="New title", kind="other", duration_minutes=30, leads=[]
    )

    assert AgendaItem.objects.get(pk=item.pk).title == "New title"
    assert _last_revision(item.meeting) == (facilitator.pk, "agenda item changed: New title")


def test_removing_an_agenda_item_records_who(facilitator):
    item = AgendaItemFactory(title="Gone soon")

    services.agenda_item_remove(item=item, by=facilitator)

    assert AgendaItem.objects.filter(pk=item.pk).exists() is False
    assert _last_revision(item.meeting) == (facilitator.pk, "agenda item removed: Gone soon")


def test_moving_an_agenda_item_records_who(facilitator):
    meeting = MeetingFactory()
    first = AgendaItemFactory(meeting=meeting, title="First", position=0)
    second = AgendaItemFactory(meeting=meeting, title="Second", position=1)

    services.agenda_item_move(item=second, by=facilitator, direction="up")

    assert list(meeting.agenda_items.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]
    assert _last_revision(meeting) == (facilitator.pk, "agenda item moved up: Second")


def test_removing_a_resource_records_who(member):
    meeting = past_meeting()
    resource = ResourceFactory(meeting=meeting, title="Partner map", url="https://example.org/map", added_by=member)

    services.resource_remove(resource=resource, by=member)

    assert Resource.objects.filter(pk=resource.pk).exists() is False
    assert _last_revision(meeting) == (member.pk, "resource removed: Partner map")


def test_cancelling_records_who_in_the_history_too(facilitator):
    meeting = MeetingFactory()

    services.meeting_cancel(meeting=meeting, reason="Venue closed", by=facilitator)

    assert _last_revision(meeting) == (facilitator.pk, "cancelled")


def test_erasing_a_member_keeps_the_meeting_history_credited_to_nobody(facilitator):
    meeting = MeetingFactory(created_by=facilitator)
    services.agenda_item_add(meeting=meeting, by=facilitator, title="Partner map")

    services.member_data_erase(member=facilitator)

    assert list(Meeting.history.filter(history_user=facilitator)) == []
    assert list(Meeting.history.filter(created_by=facilitator)) == []
    # The revisions stay (the factory's creation, then the agenda change), with nobody's name.
    assert list(meeting.history.order_by("history_id").values_list("history_user_id", "history_change_reason")) == [
        (None, None),
        (None, "agenda item added: Partner map"),
    ]
