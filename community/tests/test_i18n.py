import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_language_switcher_turns_the_landing_page_french(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"}, follow=True)

    body = response.content.decode()
    assert '<html lang="fr">' in body
    assert "Rejoindre la communauté" in body


def test_member_preferring_french_reads_the_dashboard_in_french(client, member):
    member.preferred_language = "fr"
    member.save(update_fields=["preferred_language"])
    client.force_login(member)

    body = client.get(reverse("home")).content.decode()

    assert '<html lang="fr">' in body
    assert "Se déconnecter" in body
