"""Meetings record the language of their title and description; the list filters by it."""

import pytest
from django.urls import reverse

from meetings.models import Meeting

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_meetings_list_filters_by_language_and_names_it(member_client):
    MeetingFactory(title="Encontro do Porto", language="pt")
    MeetingFactory(title="Spring meeting", language="en")

    response = member_client.get("/meetings/?language=pt")
    html = response.content.decode()

    assert [m.title for m in response.context["upcoming"]] == ["Encontro do Porto"]
    assert 'lang="pt">Encontro do Porto</a> <span class="badge text-bg-light border content-language">' in html


def test_meetings_list_ignores_an_unknown_language(member_client):
    MeetingFactory(title="Spring meeting", language="en")

    response = member_client.get("/meetings/?language=xx")

    assert [m.title for m in response.context["upcoming"]] == ["Spring meeting"]


def test_a_new_meeting_is_in_the_facilitators_language_unless_chosen(facilitator_client, facilitator):
    facilitator.preferred_language = "es"
    facilitator.save(update_fields=["preferred_language"])
    data = {
        "title": "Reunión de primavera",
        "date": "2031-03-20",
        "start_time": "09:00",
        "end_time": "11:00",
        "time_zone": "Europe/Madrid",
        "online_url": "https://meet.example.org/kip",
        "place": "",
        "capacity": "",
        "description": "",
    }

    page = facilitator_client.get(reverse("meetings:create"))
    facilitator_client.post(reverse("meetings:create"), data)
    facilitator_client.post(reverse("meetings:create"), {**data, "title": "Encontro", "language": "pt"})

    assert page.context["form"].initial["language"] == "es"
    assert sorted(Meeting.objects.values_list("title", "language")) == [
        ("Encontro", "pt"),
        ("Reunión de primavera", "es"),
    ]
