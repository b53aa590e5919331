import pytest
from django.test import Client

from community.tests.factories import UserFactory
from meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_meetings_admin_lists_open(admin_client):
    MeetingFactory(title="Spring meeting")

    response = admin_client.get("/admin/meetings/meeting/")

    assert response.status_code == 200


def test_superuser_edit_in_the_admin_goes_through_the_service_and_keeps_the_schedule(admin_client):
    meeting = MeetingFactory(title="Spring meeting")
    starts_at = meeting.starts_at
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    page = admin_client.get(url)
    data = {
        "title": "Spring meeting in Porto",
        "description": meeting.description,
        "online_url": meeting.online_url,
        "place": "Porto",
        "capacity": "",
        # Fields the admin shows read-only: posting them changes nothing.
        "starts_at_0": "2030-01-01",
        "starts_at_1": "10:00:00",
        "state": "cancelled",
        "agenda_items-TOTAL_FORMS": "0",
        "agenda_items-INITIAL_FORMS": "0",
    }

    response = admin_client.post(url, data)

    assert page.status_code == 200
    assert f'href="/meetings/{meeting.pk}/edit/"' in page.content.decode()
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.place, meeting.starts_at, meeting.state, meeting.sequence) == (
        "Spring meeting in Porto",
        "Porto",
        starts_at,
        "published",
        1,
    )
    assert meeting.history.order_by("-history_id").values_list("history_change_reason", flat=True)[0] == "edited"


def test_nobody_adds_a_meeting_in_the_admin(admin_client):
    assert admin_client.get("/admin/meetings/meeting/add/").status_code == 403
