import pytest
from django.test import Client

from community.tests.factories import UserFactory
from meetings.networking.models import NetworkingSession
from meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_networking_session_admin_lists_open(admin_client):
    NetworkingSession.objects.create(meeting=MeetingFactory(title="Spring meeting"))

    assert admin_client.get("/admin/networking/networkingsession/").status_code == 200


def test_networking_session_admin_change_page_opens(admin_client):
    session = NetworkingSession.objects.create(meeting=MeetingFactory(title="Spring meeting"))

    assert admin_client.get(f"/admin/networking/networkingsession/{session.pk}/change/").status_code == 200
