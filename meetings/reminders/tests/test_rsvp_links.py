from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.enums import MemberState
from community.tests.factories import UserFactory
from meetings.enums import MeetingState, RSVPResponse
from meetings.models import RSVP
from meetings.reminders.signing import rsvp_token, rsvp_urls

from .factories import MeetingFactory, RSVPFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return MeetingFactory(title="Winter meeting", starts_at=timezone.now() + timedelta(days=7))


@pytest.fixture
def member():
    return UserFactory(display_name="Ana Ferreira", time_zone="Europe/Lisbon")


def link(meeting, member, response="going", token=None):
    token = token or rsvp_token(meeting_id=meeting.pk, member_id=member.pk)
    return reverse("meetings:reminder_rsvp", kwargs={"pk": meeting.pk, "token": token, "response": response})


def answers(meeting):
    return list(RSVP.objects.filter(meeting=meeting).values_list("member_id", "response"))


def test_links_in_the_mail_are_absolute_one_per_answer(meeting, member):
    urls = rsvp_urls(meeting_id=meeting.pk, member_id=member.pk)

    assert sorted(urls) == ["going", "maybe", "not_going"]
    assert urls["maybe"] == "http://testserver" + link(meeting, member, "maybe")


def test_opening_the_link_only_asks_for_confirmation(client, meeting, member):
    response = client.get(link(meeting, member))

    assert response.status_code == 200
    assert "Ana Ferreira, confirm your answer: <strong>Going</strong>." in response.content.decode()
    assert "(Europe/Lisbon)" in response.content.decode()
    assert answers(meeting) == []


def test_confirming_records_the_answer_without_signing_in(client, meeting, member):
    response = client.post(link(meeting, member))

    assert response.status_code == 200
    assert "Thank you, your answer is recorded: Going." in response.content.decode()
    assert answers(meeting) == [(member.pk, RSVPResponse.GOING)]


def test_confirming_again_changes_the_answer(client, meeting, member):
    RSVPFactory(meeting=meeting, member=member, response=RSVPResponse.GOING)

    response = client.post(link(meeting, member, "not_going"))

    assert response.status_code == 200
    assert answers(meeting) == [(member.pk, RSVPResponse.NOT_GOING)]


def test_going_to_a_full_meeting_puts_the_member_on_the_waiting_list(client, meeting, member):
    meeting.capacity = 1
    meeting.save(update_fields=["capacity"])
    RSVPFactory(meeting=meeting, response=RSVPResponse.GOING)

    response = client.post(link(meeting, member))

    assert response.status_code == 200
    assert "you are on the waiting list" in response.content.decode()
    assert RSVP.objects.get(meeting=meeting, member=member).response == RSVPResponse.WAITLISTED


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_link_is_refused_with_a_clear_page(client, meeting, member, method):
    token = rsvp_token(meeting_id=meeting.pk, member_id=member.pk)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    response = getattr(client, method)(link(meeting, member, token=tampered))

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert answers(meeting) == []


def test_link_for_another_member_cannot_be_forged_by_editing_the_payload(client, meeting, member):
    other = UserFactory()
    token = rsvp_token(meeting_id=meeting.pk, member_id=member.pk)
    forged = rsvp_token(meeting_id=meeting.pk, member_id=other.pk).split(":")[0] + ":" + token.split(":", 1)[1]

    response = client.post(link(meeting, member, token=forged))

    assert response.status_code == 400
    assert answers(meeting) == []


def test_link_of_one_meeting_does_not_answer_another(client, meeting, member):
    other = MeetingFactory()
    token = rsvp_token(meeting_id=meeting.pk, member_id=member.pk)

    response = client.post(link(other, member, token=token))

    assert response.status_code == 400
    assert answers(other) == []


def test_link_of_a_member_no_longer_approved_is_refused(client, meeting, member):
    member.state = MemberState.SUSPENDED
    member.save(update_fields=["state"])

    response = client.post(link(meeting, member))

    assert response.status_code == 400
    assert answers(meeting) == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_link_expires_at_the_start(client, meeting, member, method):
    meeting.starts_at = timezone.now() - timedelta(minutes=1)
    meeting.save(update_fields=["starts_at"])

    response = getattr(client, method)(link(meeting, member))

    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert answers(meeting) == []


def test_link_of_a_cancelled_meeting_has_expired(client, meeting, member):
    meeting.state = MeetingState.CANCELLED
    meeting.save(update_fields=["state"])

    response = client.post(link(meeting, member))

    assert response.status_code == 410
    assert answers(meeting) == []


def test_link_follows_a_reschedule_to_the_new_start(client, meeting, member):
    token = rsvp_token(meeting_id=meeting.pk, member_id=member.pk)
    meeting.starts_at = timezone.now() + timedelta(days=30)
    meeting.save(update_fields=["starts_at"])

    response = client.post(link(meeting, member, token=token))

    assert response.status_code == 200
    assert answers(meeting) == [(member.pk, RSVPResponse.GOING)]


@pytest.mark.parametrize("answer", ["waitlisted", "yes"])
def test_link_with_an_answer_that_cannot_be_chosen_is_not_found(client, meeting, member, answer):
    response = client.post(link(meeting, member, answer))

    assert response.status_code == 404
    assert answers(meeting) == []
