"""Actions agreed at a meeting: written with the minutes, mailed in the summary, on the owner's
dashboard until done, carried to the next meeting's page."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.tests.factories import UserFactory, pending_member
from meetings import services
from meetings.enums import AgendaKind, RSVPResponse
from meetings.models import ActionItem, Attendance, Minutes
from meetings.tests.factories import AgendaItemFactory, MeetingFactory, ResourceFactory, RSVPFactory, past_meeting

pytestmark = pytest.mark.django_db


def minutes_post(meeting, items, actions, publish=False) -> dict:
    data = {f"item-{item.pk}-text": text for item, text in items}
    data |= {
        "actions-TOTAL_FORMS": str(len(actions)),
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "60",
    }
    for index, action in enumerate(actions):
        data |= {f"actions-{index}-{field}": value for field, value in action.items()}
    if publish:
        data["publish"] = "1"
    return data


def test_facilitator_writes_minutes_and_actions_and_publishing_mails_the_summary_once(
    facilitator_client, facilitator, django_capture_on_commit_callbacks
):
    meeting = past_meeting(title="March meeting")
    item = AgendaItemFactory(meeting=meeting, kind=AgendaKind.OTHER, title="Partners' day")
    ResourceFactory(meeting=meeting, title="Speed-networking kit", url="https://example.org/kit")
    owner = UserFactory(display_name="Ana Lima", preferred_language="pt")
    Attendance.objects.create(meeting=meeting, member=owner)
    maybe = RSVPFactory(meeting=meeting, response=RSVPResponse.MAYBE).member
    RSVPFactory(meeting=meeting, response=RSVPResponse.NOT_GOING)
    url = reverse("meetings:minutes", args=[meeting.pk])
    due = date.today() + timedelta(days=14)

    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator_client.post(
            url,
            minutes_post(
                meeting,
                [(item, "We agreed on **one date**.")],
                [{"text": "Send the partners' survey", "owner": str(owner.pk), "due_on": due.isoformat()}],
                publish=True,
            ),
        )

    assert response.status_code == 302
    action = ActionItem.objects.get()
    assert (action.meeting, action.owner, action.due_on, action.created_by, action.done_at) == (
        meeting,
        owner,
        due,
        facilitator,
        None,
    )
    assert sorted(address for m in mail.outbox for address in m.to) == sorted([owner.email, maybe.email])
    by_address = {m.to[0]: m for m in mail.outbox}
    summary = by_address[owner.email]
    # In the owner's language.
    assert summary.subject == "Após a reunião: March meeting"
    assert summary.body.startswith("Olá Ana Lima,")
    assert "We agreed on **one date**." in summary.body
    assert "Send the partners' survey — Ana Lima" in summary.body
    assert "Speed-networking kit: https://example.org/kit" in summary.body
    assert "<strong>one date</strong>" in summary.alternatives[0][0]
    assert summary.attachments == []

    # Hidden and published again: nothing new goes out.
    services.minutes_publish(meeting=meeting, by=facilitator, published=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(meeting=meeting, by=facilitator)
    assert (
        len(mail.outbox) == 2
    )  # once per member: the rows behind it in meetings/reminders/tests/test_worker_announcements.py


def test_action_without_an_owner_is_refused_on_the_page(facilitator_client):
    meeting = past_meeting()
    response = facilitator_client.post(
        reverse("meetings:minutes", args=[meeting.pk]), minutes_post(meeting, [], [{"text": "Someone should"}])
    )
    assert response.status_code == 200
    assert response.context["action_forms"].forms[0].errors == {"owner": ["Choose who does it."]}
    assert ActionItem.objects.count() == 0


def test_action_owner_must_be_an_approved_member(facilitator):
    meeting = past_meeting()
    change = services.ActionChange(pk=None, text="Call", owner_id=pending_member().pk, due_on=None)
    with pytest.raises(ValidationError):
        services.actions_save(meeting=meeting, changes=[change], by=facilitator)
    assert ActionItem.objects.count() == 0


def test_actions_are_changed_and_removed_in_one_transaction(facilitator):
    meeting = past_meeting()
    owner, other = UserFactory(), UserFactory()
    keep, drop = services.actions_save(
        meeting=meeting,
        changes=[
            services.ActionChange(pk=None, text="Keep", owner_id=owner.pk, due_on=None),
            services.ActionChange(pk=None, text="Drop", owner_id=owner.pk, due_on=date(2027, 1, 1)),
        ],
        by=facilitator,
    )
    bad = services.ActionChange(pk=None, text="Bad", owner_id=None, due_on=None)
    with pytest.raises(ValidationError):
        services.actions_save(
            meeting=meeting,
            changes=[services.ActionChange(pk=keep.pk, text="Kept", owner_id=other.pk, due_on=None), bad],
            by=facilitator,
        )
    assert list(ActionItem.objects.order_by("pk").values_list("text", "owner")) == [
        ("Keep", owner.pk),
        ("Drop", owner.pk),
    ]

    services.actions_save(
        meeting=meeting,
        changes=[
            services.ActionChange(pk=keep.pk, text="Kept", owner_id=other.pk, due_on=None),
            services.ActionChange(pk=drop.pk, text="Drop", owner_id=owner.pk, due_on=None, remove=True),
        ],
        by=facilitator,
    )
    assert list(ActionItem.objects.values_list("text", "owner", "updated_by")) == [("Kept", other.pk, facilitator.pk)]


def test_owner_sees_open_actions_on_the_dashboard_and_ticks_them_done(client, facilitator):
    meeting = past_meeting(title="March meeting")
    owner = UserFactory()
    mine = ActionItem.objects.create(meeting=meeting, text="Send the survey", owner=owner, due_on=date(2027, 1, 5))
    ActionItem.objects.create(meeting=meeting, text="Someone else's", owner=UserFactory())
    client.force_login(owner)

    page = client.get("/").content.decode()
    assert "Send the survey" in page and "Someone else" not in page

    response = client.post(reverse("meetings:action_done", args=[mine.pk]), {"next": "/"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.done_by, mine.done_at is not None) == (owner, True)
    assert "Send the survey" not in client.get("/").content.decode()


def test_only_the_owner_or_a_facilitator_may_tick_an_action(client_for):
    action = ActionItem.objects.create(meeting=past_meeting(), text="Call", owner=UserFactory())
    url = reverse("meetings:action_done", args=[action.pk])
    statuses = {role: client_for(role).post(url).status_code for role in ("member", "editor", "facilitator")}
    assert statuses == {"member": 404, "editor": 404, "facilitator": 302}
    assert client_for("visitor").post(url).status_code == 302  # to the login page
    action.refresh_from_db()
    assert action.done_at is not None


def test_open_actions_are_carried_to_the_next_meeting_page(member_client):
    last = past_meeting(title="March meeting")
    ActionItem.objects.create(meeting=last, text="Open one", owner=UserFactory())
    ActionItem.objects.create(meeting=last, text="Done one", owner=UserFactory(), done_at=timezone.now())
    upcoming = MeetingFactory(title="May meeting")

    page = member_client.get(reverse("meetings:detail", args=[upcoming.pk])).content.decode()
    assert "Actions from the last meetings" in page
    assert "Open one" in page and "Done one" not in page


def test_dashboard_and_next_meeting_page_queries_do_not_grow_with_actions(client, member):
    client.force_login(member)
    last = past_meeting()
    upcoming = MeetingFactory()

    def measure(url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    ActionItem.objects.create(meeting=last, text="One", owner=member)
    one = (measure("/"), measure(reverse("meetings:detail", args=[upcoming.pk])))
    for n in range(9):
        ActionItem.objects.create(meeting=last, text=f"More {n}", owner=member, due_on=date(2027, 1, n + 1))
    assert (measure("/"), measure(reverse("meetings:detail", args=[upcoming.pk]))) == one


def test_minutes_page_queries_do_not_grow_with_actions_and_members(facilitator_client):
    meeting = past_meeting()
    item = AgendaItemFactory(meeting=meeting)
    Minutes.objects.create(agenda_item=item, text="Notes")
    url = reverse("meetings:minutes", args=[meeting.pk])

    def measure():
        facilitator_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert facilitator_client.get(url).status_code == 200
        return len(queries)

    ActionItem.objects.create(meeting=meeting, text="One", owner=UserFactory())
    one = measure()
    for _ in range(9):
        ActionItem.objects.create(meeting=meeting, text="More", owner=UserFactory())
    assert measure() == one <= 15


def test_member_export_holds_the_actions_they_own():
    from meetings.hooks import export_personal_data

    owner = UserFactory()
    ActionItem.objects.create(
        meeting=past_meeting(title="March meeting"), text="Call", owner=owner, due_on=date(2027, 1, 5)
    )
    assert export_personal_data(owner)["meetings"]["actions"] == [
        {"meeting": "March meeting", "text": "Call", "due_on": "2027-01-05", "done_at": None}
    ]


@pytest.mark.parametrize(
    "bad",
    [
        {"actions-TOTAL_FORMS": "many"},
        {"actions-0-owner": "999999", "actions-0-text": "Call"},
        {"actions-0-due_on": "tomorrow", "actions-0-text": "Call"},
    ],
)
def test_bad_action_input_is_a_form_error_not_a_server_error(facilitator_client, bad):
    meeting = past_meeting()
    data = minutes_post(meeting, [], [{"text": "", "owner": "", "due_on": ""}]) | bad
    response = facilitator_client.post(reverse("meetings:minutes", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert ActionItem.objects.count() == 0


def test_ticking_an_unknown_action_answers_404(member_client):
    assert member_client.post(reverse("meetings:action_done", args=[999999])).status_code == 404
