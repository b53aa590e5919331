from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.tests.factories import UserFactory
from meetings.enums import AgendaKind, RSVPResponse
from meetings.models import AgendaItem, Attendance, Minutes
from meetings.tests.factories import MeetingFactory, RSVPFactory, past_meeting

pytestmark = pytest.mark.django_db


def test_attendance_starts_from_the_going_answers_and_saves_corrections(facilitator_client, facilitator):
    meeting = past_meeting()
    went, stayed_home = UserFactory.create_batch(2)
    walk_in = UserFactory()
    RSVPFactory(meeting=meeting, member=went)
    RSVPFactory(meeting=meeting, member=stayed_home)
    url = reverse("meetings:attendance", args=[meeting.pk])
    response = facilitator_client.get(url)
    assert sorted(response.context["form"].initial["present"]) == sorted([went.pk, stayed_home.pk])

    response = facilitator_client.post(url, {"present": [went.pk, walk_in.pk]})
    assert response.status_code == 302
    assert sorted(Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True)) == sorted(
        [went.pk, walk_in.pk]
    )
    assert set(Attendance.objects.values_list("recorded_by", flat=True)) == {facilitator.pk}
    response = facilitator_client.get(url)
    assert sorted(response.context["form"].initial["present"]) == sorted([went.pk, walk_in.pk])


def test_attendance_refused_before_the_meeting(facilitator_client, member):
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=1))
    response = facilitator_client.post(reverse("meetings:attendance", args=[meeting.pk]), {"present": [member.pk]})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Attendance can be recorded once a published meeting has started."
    ]
    assert Attendance.objects.count() == 0


def test_minutes_keep_a_history_of_who_changed_what(facilitator_client, facilitator):
    meeting = past_meeting()
    item = AgendaItem.objects.create(meeting=meeting, kind=AgendaKind.HOT_NEWS, title="Hot news", position=0)
    url = reverse("meetings:minutes", args=[meeting.pk])
    facilitator_client.post(url, {f"item-{item.pk}-text": "First draft."})
    other = UserFactory(groups=["Facilitators"], display_name="Omar Facilitator")
    facilitator_client.force_login(other)
    facilitator_client.post(url, {f"item-{item.pk}-text": "Second version, with **GDPR** notes."})

    minutes = Minutes.objects.get(agenda_item=item)
    assert minutes.text == "Second version, with **GDPR** notes."
    assert minutes.updated_by == other
    history = list(minutes.history.order_by("history_date").values_list("text", "history_user"))
    assert history == [("First draft.", facilitator.pk), ("Second version, with **GDPR** notes.", other.pk)]
    page = facilitator_client.get(reverse("meetings:minutes_history", args=[meeting.pk])).content.decode()
    assert "Omar Facilitator" in page
    assert '<span class="diff-removed">- First draft.</span>' in page
    assert '<span class="diff-added">+ Second version, with **GDPR** notes.</span>' in page


def test_minutes_are_hidden_from_members_until_published(facilitator_client, client_for):
    meeting = past_meeting()
    item = AgendaItem.objects.create(meeting=meeting, title="Hot news")
    facilitator_client.post(
        reverse("meetings:minutes", args=[meeting.pk]), {f"item-{item.pk}-text": "Secret <script>alert(1)</script>"}
    )
    member = client_for("member")
    detail = reverse("meetings:detail", args=[meeting.pk])
    assert "Secret" not in member.get(detail).content.decode()

    facilitator_client.post(
        reverse("meetings:minutes", args=[meeting.pk]),
        {f"item-{item.pk}-text": "Public notes <script>alert(1)</script>", "publish": "1"},
    )
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is not None
    html = member.get(detail).content.decode()
    assert "Public notes" in html
    assert "<script>alert(1)</script>" not in html


def test_rsvp_summary_respects_who_is_shown(client_for):
    meeting = MeetingFactory(capacity=1)
    RSVPFactory(meeting=meeting, member=UserFactory(display_name="Ana Going"))
    waiting = UserFactory(display_name="Wim Waiting")
    RSVPFactory(meeting=meeting, member=waiting, response=RSVPResponse.WAITLISTED, waitlisted_at=timezone.now())
    member_html = client_for("member").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    facilitator_html = client_for("facilitator").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Ana Going" in member_html
    assert "Wim Waiting" not in member_html
    assert "Wim Waiting" in facilitator_html


@pytest.mark.skipif(
    not hasattr(UserFactory._meta.model, "listed_in_directory"), reason="needs the directory privacy choice"
)
def test_who_is_coming_hides_members_who_left_the_directory(client_for):
    meeting = MeetingFactory()
    RSVPFactory(meeting=meeting, member=UserFactory(display_name="Lea Listed"))
    RSVPFactory(meeting=meeting, member=UserFactory(display_name="Hugo Hidden", listed_in_directory=False))
    member_html = client_for("member").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    facilitator_html = client_for("facilitator").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Lea Listed" in member_html
    assert "Hugo Hidden" not in member_html
    assert "and 1 other member" in member_html
    assert "Hugo Hidden" in facilitator_html
