"""The number of SQL queries of the meeting pages does not grow with the number of rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.tests.factories import UserFactory
from meetings.enums import AgendaKind, RSVPResponse
from meetings.models import Attendance, Minutes
from meetings.tests.factories import AgendaItemFactory, MeetingFactory, ResourceFactory, RSVPFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    client.get(url)  # warm per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def make_meetings(n: int) -> None:
    for i in range(n):
        meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=i + 1))
        RSVPFactory(meeting=meeting)
        MeetingFactory(starts_at=timezone.now() - timedelta(days=60 * (i + 1)))


def test_list_queries_do_not_grow_with_meetings(client_for):
    client = client_for("member")
    make_meetings(1)
    one = count_queries(client, reverse("meetings:list"))
    make_meetings(9)
    ten = count_queries(client, reverse("meetings:list"))
    assert one == ten


def fill_meeting(meeting, n: int) -> None:
    leads = UserFactory.create_batch(2)
    for _ in range(n):
        item = AgendaItemFactory(meeting=meeting, kind=AgendaKind.OTHER)
        item.leads.set(leads)
        Minutes.objects.create(agenda_item=item, text="Notes with **markdown**.")
        person = UserFactory()
        RSVPFactory(meeting=meeting, member=person, response=RSVPResponse.GOING)
        Attendance.objects.create(meeting=meeting, member=person)
        ResourceFactory(meeting=meeting, added_by=person)


@pytest.mark.parametrize("role", ["member", "facilitator"])
def test_meeting_page_queries_do_not_grow_with_items_answers_and_resources(client_for, role):
    client = client_for(role)
    meeting = MeetingFactory(minutes_published_at=timezone.now())
    url = reverse("meetings:detail", args=[meeting.pk])
    fill_meeting(meeting, 1)
    one = count_queries(client, url)
    fill_meeting(meeting, 9)
    ten = count_queries(client, url)
    assert one == ten
    assert meeting.agenda_items.count() == 10


def test_resource_library_queries_do_not_grow(client_for):
    client = client_for("member")
    ResourceFactory()
    one = count_queries(client, reverse("meetings:resources"))
    ResourceFactory.create_batch(9)
    ten = count_queries(client, reverse("meetings:resources"))
    assert one == ten


def test_minutes_history_and_attendance_queries_do_not_grow(client_for):
    client = client_for("facilitator")
    meeting = MeetingFactory(starts_at=timezone.now() - timedelta(days=1))
    fill_meeting(meeting, 1)
    history_one = count_queries(client, reverse("meetings:minutes_history", args=[meeting.pk]))
    attendance_one = count_queries(client, reverse("meetings:attendance", args=[meeting.pk]))
    fill_meeting(meeting, 9)
    assert count_queries(client, reverse("meetings:minutes_history", args=[meeting.pk])) == history_one
    assert count_queries(client, reverse("meetings:attendance", args=[meeting.pk])) == attendance_one


def test_dashboard_panel_queries_do_not_grow(client_for):
    client = client_for("member")
    meeting = MeetingFactory()
    RSVPFactory(meeting=meeting)
    one = count_queries(client, "/")
    RSVPFactory.create_batch(9, meeting=meeting)
    assert count_queries(client, "/") == one


def test_agenda_and_minutes_editors_queries_do_not_grow(client_for):
    client = client_for("facilitator")
    meeting = MeetingFactory(starts_at=timezone.now() - timedelta(days=1))
    fill_meeting(meeting, 1)
    agenda = reverse("meetings:agenda", args=[meeting.pk])
    minutes = reverse("meetings:minutes", args=[meeting.pk])
    agenda_one, minutes_one = count_queries(client, agenda), count_queries(client, minutes)
    fill_meeting(meeting, 9)
    assert (count_queries(client, agenda), count_queries(client, minutes)) == (agenda_one, minutes_one)
