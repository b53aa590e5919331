import pytest
from django.test import Client

from community.tests.factories import UserFactory
from meetings.networking.models import NetworkingSession
from meetings.reminders.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "path",
    ["/admin/meetings/meeting/", "/admin/meetings/networkingsession/", "/admin/meetings/delivery/"],
)
def test_meetings_admin_lists_open(admin_client, path):
    MeetingFactory(title="Spring meeting")

    response = admin_client.get(path)

    assert response.status_code == 200


def test_delivery_admin_refuses_adding(admin_client):
    assert admin_client.get("/admin/meetings/delivery/add/").status_code == 403


def test_networking_session_admin_change_page_opens(admin_client):
    session = NetworkingSession.objects.create(meeting=MeetingFactory(title="Spring meeting"))

    assert admin_client.get(f"/admin/meetings/networkingsession/{session.pk}/change/").status_code == 200
