"""Facilitators follow the actions agreed at meetings up in the admin: list, change, tick done."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.tests.factories import UserFactory, facilitator, pending_member
from meetings.models import ActionItem
from meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:meetings_actionitem_changelist")


@pytest.fixture
def host():
    return facilitator(display_name="Fatou Diallo", is_staff=True)


@pytest.fixture
def host_client(host):
    client = Client()
    client.force_login(host)
    return client


def _action(**fields) -> ActionItem:
    fields.setdefault("meeting", MeetingFactory(starts_at=timezone.now() - timedelta(days=3)))
    fields.setdefault("owner", UserFactory())
    fields.setdefault("text", "Send the partners' survey")
    return ActionItem.objects.create(**fields)


def _change_data(action, **changes) -> dict:
    data = {"text": action.text, "owner": action.owner_id, "due_on": action.due_on.isoformat()}
    data.update(changes)
    return data


def test_the_list_filters_open_late_and_done_actions(host_client):
    today = timezone.localdate()
    late = _action(text="Book the room", due_on=today - timedelta(days=2))
    coming = _action(text="Send the survey", due_on=today + timedelta(days=5))
    done = _action(text="Share the charter", due_on=today - timedelta(days=9), done_at=timezone.now())

    def listed(**query):
        response = host_client.get(CHANGELIST, query)
        assert response.status_code == 200
        return {action.text for action in response.context["cl"].result_list}

    assert listed() == {late.text, coming.text, done.text}
    assert listed(done="no") == {late.text, coming.text}
    assert listed(done="late") == {late.text}
    assert listed(done="yes") == {done.text}


def test_a_facilitator_changes_an_action_through_the_service(host_client, host):
    action = _action(due_on=timezone.localdate())
    new_owner = UserFactory(display_name="Mariana Costa")
    due = timezone.localdate() + timedelta(days=10)
    url = reverse("admin:meetings_actionitem_change", args=[action.pk])

    response = host_client.post(
        url, _change_data(action, text="Send the survey to all partners", owner=new_owner.pk, due_on=due)
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.text, action.owner, action.due_on, action.updated_by) == (
        "Send the survey to all partners",
        new_owner,
        due,
        host,
    )


def test_an_owner_who_is_not_a_member_is_refused_with_the_text_kept(host_client):
    action = _action(due_on=timezone.localdate())
    applicant = pending_member(display_name="Pat Pending")
    url = reverse("admin:meetings_actionitem_change", args=[action.pk])

    response = host_client.post(url, _change_data(action, text="A new wording", owner=applicant.pk))

    assert response.status_code == 200
    assert "owner" in response.context["adminform"].form.errors
    assert "A new wording" in response.content.decode()
    action.refresh_from_db()
    assert action.text == "Send the partners' survey"


def test_the_owner_is_required(host_client):
    action = _action(due_on=timezone.localdate())
    url = reverse("admin:meetings_actionitem_change", args=[action.pk])

    response = host_client.post(url, _change_data(action, owner=""))

    assert response.status_code == 200
    assert "owner" in response.context["adminform"].form.errors
    action.refresh_from_db()
    assert action.owner is not None


def test_ticking_done_and_opening_again_from_the_list_records_who(host_client, host):
    first, second = _action(text="Book the room"), _action(text="Send the survey")
    already = _action(text="Share the charter", done_at=timezone.now() - timedelta(days=1))

    response = host_client.post(
        CHANGELIST,
        {"action": "tick_done", "_selected_action": [first.pk, second.pk, already.pk]},
        follow=True,
    )

    assert "2 actions ticked done." in response.content.decode()
    first.refresh_from_db()
    already.refresh_from_db()
    assert (first.done_by, first.done_at is not None) == (host, True)
    assert already.done_by is None  # ticked before: left as it was

    host_client.post(CHANGELIST, {"action": "open_again", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert (first.done_at, first.done_by) == (None, None)


def test_actions_are_not_added_in_the_admin(host_client):
    assert host_client.get(reverse("admin:meetings_actionitem_add")).status_code == 403


def test_the_list_keeps_its_queries_as_actions_grow(host_client):
    def count() -> int:
        host_client.get(CHANGELIST)
        with CaptureQueriesContext(connection) as context:
            assert host_client.get(CHANGELIST).status_code == 200
        return len(context.captured_queries)

    _action()
    one = count()
    for _ in range(9):
        _action()
    assert count() == one <= 15
