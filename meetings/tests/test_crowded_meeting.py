"""A meeting with many answers: its page names a few people and counts the rest."""

import pytest
from django.urls import reverse

from community.tests.factories import UserFactory
from meetings.enums import RSVPResponse
from meetings.models import Attendance
from meetings.selectors import PEOPLE_SHOWN
from meetings.tests.factories import MeetingFactory, RSVPFactory, past_meeting

pytestmark = pytest.mark.django_db


def _crowd(meeting, going: int, hidden: int = 0) -> None:
    for n in range(going):
        RSVPFactory(meeting=meeting, member=UserFactory(display_name=f"Going {n:03d}"))
    for n in range(hidden):
        RSVPFactory(meeting=meeting, member=UserFactory(display_name=f"Unlisted {n}", listed_in_directory=False))
    RSVPFactory(meeting=meeting, member=UserFactory(display_name="Maybe Mia"), response=RSVPResponse.MAYBE)


def test_the_page_names_the_first_few_and_counts_the_others(client_for):
    meeting = MeetingFactory()
    _crowd(meeting, PEOPLE_SHOWN + 6, hidden=2)

    html = client_for("member").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()

    assert (html.count(">Going 0"), "Going 023" in html, "Going 024" in html) == (PEOPLE_SHOWN, True, False)
    assert "and 6 more" in html
    assert "and 2 other members" in html
    assert f"{PEOPLE_SHOWN + 8} going" in html
    assert "Every answer" not in html


def test_facilitators_follow_a_link_to_every_answer_paged(client_for):
    meeting = MeetingFactory()
    _crowd(meeting, 55)
    facilitator = client_for("facilitator")
    detail = facilitator.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    answers_url = reverse("meetings:answers", args=[meeting.pk])
    assert f'href="{answers_url}"' in detail

    first = facilitator.get(answers_url).content.decode()
    second = facilitator.get(answers_url + "?page=2").content.decode()

    assert "56 answers" in first
    assert (first.count("<tr><td>"), second.count("<tr><td>")) == (50, 6)
    assert "Maybe Mia" in second


@pytest.mark.parametrize(("role", "status"), [("visitor", 302), ("pending", 302), ("member", 404), ("editor", 404)])
def test_every_answer_is_for_facilitators(client_for, role, status):
    meeting = MeetingFactory()
    response = client_for(role).get(reverse("meetings:answers", args=[meeting.pk]))
    assert response.status_code == status


def test_every_answer_of_an_unknown_meeting_is_404(client_for):
    assert client_for("facilitator").get(reverse("meetings:answers", args=[999999])).status_code == 404


def _listed(response, field) -> list[str]:
    return [label for _value, label in response.context["form"].fields[field].widget.choices]


def test_attendance_lists_who_was_going_and_finds_the_others(client_for):
    meeting = past_meeting()
    RSVPFactory(meeting=meeting, member=UserFactory(display_name="Ana Going"))
    late = UserFactory(display_name="Luis Late")
    UserFactory(display_name="Lara Away")
    facilitator = client_for("facilitator")
    url = reverse("meetings:attendance", args=[meeting.pk])
    assert _listed(facilitator.get(url), "present") == ["Ana Going"]

    found = facilitator.post(url, {"present": [], "find": "luis", "find_members": "1"})
    assert _listed(found, "present") == ["Ana Going", "Luis Late"]
    assert Attendance.objects.filter(meeting=meeting).count() == 0

    facilitator.post(url, {"present": [late.pk]})
    assert list(Attendance.objects.filter(meeting=meeting).values_list("member__display_name", flat=True)) == [
        "Luis Late"
    ]


def test_agenda_lists_the_leads_and_finds_others(client_for):
    meeting = MeetingFactory()
    UserFactory(display_name="Nora Lead")
    UserFactory(display_name="Omar Other")
    facilitator = client_for("facilitator")
    url = reverse("meetings:agenda", args=[meeting.pk])
    assert _listed(facilitator.get(url), "leads") == []

    found = facilitator.post(url, {"new-title": "Welcome", "new-find": "nora", "find_members": "1"})

    assert _listed(found, "leads") == ["Nora Lead"]
    assert found.context["form"].initial["title"] == "Welcome"
