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


def test_page_not_found_is_the_sites_own_page_in_the_readers_language(client, settings):
    settings.DEBUG = False
    client.cookies["django_language"] = "fr"

    response = client.get("/members/centres/nowhere/x/")

    body = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in body
    assert 'href="/">Retour à l’accueil</a>' in body


def test_server_error_page_renders_without_a_request_context():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("fr"):
        html = render_to_string("500.html")

    assert "Une erreur est survenue" in html
    assert '<html lang="fr">' in html
