"""Uploaded files of members-only pages go through a permission check, never straight to /media/."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from meetings.tests.factories import ResourceFactory, draft_meeting

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _resource(meeting=None):
    resource = ResourceFactory(url="", **({"meeting": meeting} if meeting else {}))
    resource.file.save("charter.pdf", ContentFile(PDF), save=True)
    return resource


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("pending", 302), ("member", 200), ("facilitator", 200), ("editor", 200)],
)
def test_resource_file_is_for_members(client_for, role, status):
    resource = _resource()

    response = client_for(role).get(resource.href)

    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment;")


def test_resource_link_points_at_the_checked_view(client):
    resource = _resource()

    assert resource.href == reverse("meetings:resource_file", args=[resource.pk])


def test_resource_file_of_a_draft_meeting_is_404_to_members(member_client):
    resource = _resource(draft_meeting())

    assert member_client.get(resource.href).status_code == 404


def test_resource_without_file_or_unknown_answers_404(member_client):
    link_only = ResourceFactory()

    assert member_client.get(reverse("meetings:resource_file", args=[link_only.pk])).status_code == 404
    assert member_client.get(reverse("meetings:resource_file", args=[999999])).status_code == 404
