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


def test_delivery_admin_lists_open(admin_client):
    MeetingFactory(title="Spring meeting")

    assert admin_client.get("/admin/reminders/delivery/").status_code == 200


def test_delivery_admin_refuses_adding(admin_client):
    assert admin_client.get("/admin/reminders/delivery/add/").status_code == 403
