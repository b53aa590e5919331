"""Member photos are served by a view that applies the owner's privacy choice."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from community.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0 a small picture"


@pytest.fixture
def owner(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member = UserFactory(display_name="Nadia Rossi")
    member.photo.save("0123456789abcdef0123456789abcdef.jpg", ContentFile(JPEG), save=True)
    return member


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("pending", 404), ("member", 200), ("facilitator", 200), ("editor", 200)],
)
def test_shown_photo_is_for_members(client_for, owner, role, status):
    response = client_for(role).get(owner.photo_url)

    assert owner.photo_url == "/members/photos/0123456789abcdef0123456789abcdef.jpg"
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == JPEG
        assert (response["Content-Type"], response["Cache-Control"]) == ("image/jpeg", "private, max-age=86400")


def test_hidden_photo_answers_404_to_others_but_not_to_its_owner(client_for, client, owner):
    owner.show_photo = False
    owner.save(update_fields=["show_photo"])
    client.force_login(owner)

    assert client_for("member").get(owner.photo_url).status_code == 404
    assert client_for("facilitator").get(owner.photo_url).status_code == 404
    assert client.get(owner.photo_url).status_code == 200


def test_unknown_photo_answers_404(member_client, owner):
    assert member_client.get(reverse("community:photo", args=["nobody.jpg"])).status_code == 404
    assert member_client.get("/members/photos/a%00b.jpg").status_code == 404


def test_directory_links_the_photo_view(member_client, owner):
    html = member_client.get(reverse("community:directory")).content.decode()

    assert f'src="{owner.photo_url}"' in html
    assert "/media/" not in html
