import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from community.tests.factories import UserFactory
from meetings import services
from meetings.enums import RSVPResponse
from meetings.models import RSVP
from meetings.tests.factories import MeetingFactory, RSVPFactory, draft_meeting

pytestmark = pytest.mark.django_db


def responses(meeting) -> dict:
    return dict(RSVP.objects.filter(meeting=meeting).values_list("member__username", "response"))


def test_one_rsvp_per_member_per_meeting_is_enforced_by_the_database(member):
    meeting = MeetingFactory()
    RSVP.objects.create(meeting=meeting, member=member, response=RSVPResponse.GOING)
    with pytest.raises(IntegrityError), transaction.atomic():
        RSVP.objects.create(meeting=meeting, member=member, response=RSVPResponse.MAYBE)
    assert RSVP.objects.filter(meeting=meeting, member=member).count() == 1


def test_rsvp_changes_the_existing_answer(member):
    meeting = MeetingFactory()
    services.rsvp_set(meeting=meeting, member=member, response=RSVPResponse.GOING)
    services.rsvp_set(meeting=meeting, member=member, response=RSVPResponse.MAYBE)
    assert responses(meeting) == {member.username: RSVPResponse.MAYBE}


def test_going_refused_when_full_with_a_clear_message(member_client, member):
    meeting = MeetingFactory(capacity=1)
    RSVPFactory(meeting=meeting)
    response = member_client.post(reverse("meetings:rsvp", args=[meeting.pk]), {"response": "going"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["This meeting is full. You can join the waiting list."]
    assert "Join the waiting list" in response.content.decode()
    assert RSVP.objects.filter(meeting=meeting, member=member).exists() is False


def test_waiting_list_is_promoted_in_order():
    meeting = MeetingFactory(capacity=2)
    first, second, third, fourth = UserFactory.create_batch(4)
    for person in (first, second):
        services.rsvp_set(meeting=meeting, member=person, response=RSVPResponse.GOING)
    now = timezone.now()
    services.rsvp_set(meeting=meeting, member=third, response=RSVPResponse.WAITLISTED, now=now)
    services.rsvp_set(meeting=meeting, member=fourth, response=RSVPResponse.WAITLISTED, now=now + timedelta(seconds=1))
    assert responses(meeting)[third.username] == RSVPResponse.WAITLISTED

    services.rsvp_set(meeting=meeting, member=second, response=RSVPResponse.NOT_GOING)
    assert responses(meeting) == {
        first.username: RSVPResponse.GOING,
        second.username: RSVPResponse.NOT_GOING,
        third.username: RSVPResponse.GOING,
        fourth.username: RSVPResponse.WAITLISTED,
    }
    services.rsvp_set(meeting=meeting, member=first, response=RSVPResponse.MAYBE)
    assert responses(meeting)[fourth.username] == RSVPResponse.GOING
    assert RSVP.objects.get(meeting=meeting, member=fourth).waitlisted_at is None


def test_going_with_waitlist_if_full_joins_the_waiting_list(member):
    meeting = MeetingFactory(capacity=1)
    RSVPFactory(meeting=meeting)
    rsvp = services.rsvp_set(meeting=meeting, member=member, response=RSVPResponse.GOING, waitlist_if_full=True)
    rsvp.refresh_from_db()
    assert rsvp.response == RSVPResponse.WAITLISTED
    assert rsvp.waitlisted_at is not None


def test_joining_the_waiting_list_with_a_free_place_gives_the_place(member):
    meeting = MeetingFactory(capacity=3)
    rsvp = services.rsvp_set(meeting=meeting, member=member, response=RSVPResponse.WAITLISTED)
    assert rsvp.response == RSVPResponse.GOING


def test_raising_the_capacity_promotes_the_waiting_list(facilitator):
    meeting = MeetingFactory(capacity=1)
    services.rsvp_set(meeting=meeting, member=UserFactory(), response=RSVPResponse.GOING)
    waiting = UserFactory()
    services.rsvp_set(meeting=meeting, member=waiting, response=RSVPResponse.WAITLISTED)
    services.meeting_update(meeting=meeting, by=facilitator, capacity=2)
    assert RSVP.objects.get(member=waiting).response == RSVPResponse.GOING


@pytest.mark.parametrize(
    ("meeting_kwargs", "message"),
    [
        ({"starts_at_delta": -1}, "The meeting has started: answers are closed."),
        ({"draft": True}, "Answers are only open for published meetings."),
    ],
)
def test_rsvp_refused_after_start_or_before_publication(member, meeting_kwargs, message):
    if meeting_kwargs.get("draft"):
        meeting = draft_meeting()
    else:
        meeting = MeetingFactory(starts_at=timezone.now() + timedelta(hours=meeting_kwargs["starts_at_delta"]))
    with pytest.raises(services.RSVPRefused) as error:
        services.rsvp_set(meeting=meeting, member=member, response=RSVPResponse.GOING)
    assert error.value.messages == [message]
    assert RSVP.objects.count() == 0


def test_rsvp_view_saves_answer_and_returns_to_next(member_client, member):
    meeting = MeetingFactory()
    response = member_client.post(reverse("meetings:rsvp", args=[meeting.pk]), {"response": "maybe", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert responses(meeting) == {member.username: RSVPResponse.MAYBE}


def test_rsvp_view_refuses_unknown_answer(member_client):
    meeting = MeetingFactory()
    response = member_client.post(reverse("meetings:rsvp", args=[meeting.pk]), {"response": "yes please"})
    assert response.status_code == 302
    assert RSVP.objects.count() == 0


def test_rsvp_on_draft_answers_404_to_members(member_client):
    meeting = draft_meeting()
    response = member_client.post(reverse("meetings:rsvp", args=[meeting.pk]), {"response": "going"})
    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_capacity_never_exceeded_when_two_members_take_the_last_place_at_once():
    meeting = MeetingFactory(capacity=2)
    RSVPFactory(meeting=meeting)
    racers = UserFactory.create_batch(2)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def take_place(person):
        try:
            barrier.wait(timeout=5)
            services.rsvp_set(meeting=meeting, member=person, response=RSVPResponse.GOING)
            outcomes[person.username] = "going"
        except services.MeetingFull:
            outcomes[person.username] = "full"
        finally:
            connection.close()

    threads = [threading.Thread(target=take_place, args=(p,)) for p in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes.values()) == ["full", "going"]
    assert RSVP.objects.filter(meeting=meeting, response=RSVPResponse.GOING).count() == 2


@pytest.mark.django_db(transaction=True)
def test_second_transaction_waits_for_the_first_and_then_finds_the_meeting_full():
    """Hold the first transaction open after it took the last place: the second one must wait
    on the meeting's row lock, then see the place taken (no double booking, no lost update)."""
    meeting = MeetingFactory(capacity=1)
    first, second = UserFactory.create_batch(2)
    first_has_place = threading.Event()
    release_first = threading.Event()
    second_done = threading.Event()
    outcomes: dict[str, str] = {}

    def first_member():
        try:
            with transaction.atomic():
                services.rsvp_set(meeting=meeting, member=first, response=RSVPResponse.GOING)
                first_has_place.set()
                release_first.wait(timeout=10)
            outcomes["first"] = "going"
        finally:
            connection.close()

    def second_member():
        try:
            first_has_place.wait(timeout=10)
            services.rsvp_set(meeting=meeting, member=second, response=RSVPResponse.GOING)
            outcomes["second"] = "going"
        except services.MeetingFull:
            outcomes["second"] = "full"
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=first_member), threading.Thread(target=second_member)]
    for thread in threads:
        thread.start()
    assert first_has_place.wait(timeout=10)
    # While the first transaction is open, the second is blocked on the lock.
    assert second_done.wait(timeout=1) is False
    release_first.set()
    for thread in threads:
        thread.join(timeout=20)
    assert outcomes == {"first": "going", "second": "full"}
    assert list(RSVP.objects.filter(meeting=meeting).values_list("member_id", "response")) == [
        (first.pk, RSVPResponse.GOING)
    ]


def test_a_past_meeting_no_longer_asks_whether_the_member_is_coming(member_client, member):
    past = MeetingFactory(starts_at=timezone.now() - timedelta(days=20))
    RSVPFactory(meeting=past, member=member, response=RSVPResponse.GOING)
    page = member_client.get(reverse("meetings:detail", args=[past.pk])).content.decode()
    assert "Are you coming?" not in page
    assert "Who said they would come" in page
    assert "Your answer: Going" in page
    coming = member_client.get(reverse("meetings:detail", args=[MeetingFactory().pk])).content.decode()
    assert "Are you coming?" in coming


def test_member_taken_off_the_waiting_list_is_told_by_mail_in_their_language(django_capture_on_commit_callbacks):
    from django.core import mail

    meeting = MeetingFactory(title="Spring meeting", capacity=1)
    holder = UserFactory()
    services.rsvp_set(meeting=meeting, member=holder, response=RSVPResponse.GOING)
    waiting = UserFactory(email="next@example.org", preferred_language="fr")
    services.rsvp_set(meeting=meeting, member=waiting, response=RSVPResponse.WAITLISTED)
    opted_out = UserFactory(notify_meeting_changes=False)
    services.rsvp_set(meeting=meeting, member=opted_out, response=RSVPResponse.WAITLISTED)

    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_set(meeting=meeting, member=holder, response=RSVPResponse.NOT_GOING)

    assert RSVP.objects.get(meeting=meeting, member=waiting).response == RSVPResponse.GOING
    assert [m.to for m in mail.outbox] == [["next@example.org"]]
    assert mail.outbox[0].subject == "Vous avez une place : Spring meeting"
