"""Every URL of the app × every role, with the exact status code."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import AgendaItem
from meetings.tests.factories import MeetingFactory, ResourceFactory, draft_meeting, past_meeting

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "pending", "member", "facilitator", "editor")


@pytest.fixture
def objects(db):
    upcoming = MeetingFactory()
    past = past_meeting()
    draft = draft_meeting()
    item = AgendaItem.objects.create(meeting=upcoming, title="Hot news")
    resource = ResourceFactory(meeting=past)
    return {"upcoming": upcoming, "past": past, "draft": draft, "item": item, "resource": resource}


def _pk(name):
    return lambda o: [o[name].pk]


# name, method, url name, args from objects, expected status per role (visitor, pending, member, facilitator, editor)
CASES = [
    ("list", "get", "meetings:list", lambda o: [], (302, 302, 200, 200, 200)),
    ("create", "get", "meetings:create", lambda o: [], (302, 302, 404, 200, 404)),
    ("detail", "get", "meetings:detail", _pk("upcoming"), (302, 302, 200, 200, 200)),
    ("detail-draft", "get", "meetings:detail", _pk("draft"), (302, 302, 404, 200, 404)),
    ("edit", "get", "meetings:edit", _pk("upcoming"), (302, 302, 404, 200, 404)),
    ("publish", "post", "meetings:publish", _pk("draft"), (302, 302, 404, 302, 404)),
    ("cancel", "get", "meetings:cancel", _pk("upcoming"), (302, 302, 404, 200, 404)),
    ("rsvp", "post", "meetings:rsvp", _pk("upcoming"), (302, 302, 302, 302, 302)),
    ("rsvp-draft", "post", "meetings:rsvp", _pk("draft"), (302, 302, 404, 302, 404)),
    ("ical", "get", "meetings:ical", _pk("upcoming"), (302, 302, 200, 200, 200)),
    ("ical-draft", "get", "meetings:ical", _pk("draft"), (302, 302, 404, 200, 404)),
    ("agenda", "get", "meetings:agenda", _pk("upcoming"), (302, 302, 404, 200, 404)),
    (
        "agenda-item",
        "get",
        "meetings:agenda_item",
        lambda o: [o["upcoming"].pk, o["item"].pk],
        (302, 302, 404, 200, 404),
    ),
    (
        "agenda-item-move",
        "post",
        "meetings:agenda_item_move",
        lambda o: [o["upcoming"].pk, o["item"].pk],
        (302, 302, 404, 302, 404),
    ),
    (
        "agenda-item-remove",
        "post",
        "meetings:agenda_item_remove",
        lambda o: [o["upcoming"].pk, o["item"].pk],
        (302, 302, 404, 302, 404),
    ),
    ("attendance", "get", "meetings:attendance", _pk("past"), (302, 302, 404, 200, 404)),
    ("minutes", "get", "meetings:minutes", _pk("past"), (302, 302, 404, 200, 404)),
    ("minutes-unpublish", "post", "meetings:minutes_unpublish", _pk("past"), (302, 302, 404, 302, 404)),
    ("minutes-history", "get", "meetings:minutes_history", _pk("past"), (302, 302, 404, 200, 404)),
    ("resource-add", "get", "meetings:resource_add", _pk("past"), (302, 302, 404, 200, 404)),
    ("resource-add-draft", "get", "meetings:resource_add", _pk("draft"), (302, 302, 404, 404, 404)),
    ("resource-remove", "post", "meetings:resource_remove", _pk("resource"), (302, 302, 404, 302, 404)),
    ("resources", "get", "meetings:resources", lambda o: [], (302, 302, 200, 200, 200)),
    ("feed-regenerate", "post", "meetings:feed_regenerate", lambda o: [], (302, 302, 302, 302, 302)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "url_name", "args", "expected"), CASES, ids=[c[0] for c in CASES])
def test_permission_table(client_for, objects, role, name, method, url_name, args, expected):
    client = client_for(role)
    url = reverse(url_name, args=args(objects))
    response = getattr(client, method)(url)
    assert response.status_code == expected[ROLES.index(role)]
    if role == "visitor":
        assert response["Location"].startswith("/accounts/login/?next=")
    if role == "pending":
        assert response["Location"] == "/members/waiting/"


@pytest.mark.parametrize("role", ROLES)
def test_personal_feed_answers_to_its_token_only(client_for, role, member):
    feed = services.calendar_feed_get(member=member)
    client = client_for(role)
    assert client.get(reverse("meetings:feed", args=[feed.token])).status_code == 200
    assert client.get(reverse("meetings:feed", args=["x" + feed.token])).status_code == 404


def test_a_member_who_was_there_may_attach_a_resource(member_client, member):
    from meetings.models import Attendance

    meeting = past_meeting()
    url = reverse("meetings:resource_add", args=[meeting.pk])
    assert member_client.get(url).status_code == 404
    Attendance.objects.create(meeting=meeting, member=member)
    assert member_client.get(url).status_code == 200


def test_the_author_may_remove_their_own_resource(member_client, member):
    resource = ResourceFactory(meeting=past_meeting(), added_by=member)
    response = member_client.post(reverse("meetings:resource_remove", args=[resource.pk]))
    assert response.status_code == 302
    assert type(resource).objects.filter(pk=resource.pk).exists() is False


def test_future_meeting_does_not_take_resources_from_members(member_client, member):
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=2))
    from meetings.tests.factories import RSVPFactory

    RSVPFactory(meeting=meeting, member=member)
    assert member_client.get(reverse("meetings:resource_add", args=[meeting.pk])).status_code == 404
