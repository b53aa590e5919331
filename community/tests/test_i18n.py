import re

import pytest
from django.core import mail
from django.urls import reverse

from community import services
from community.enums import MemberState
from community.tests import factories

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


@pytest.mark.parametrize(
    ("accept_language", "lang", "join", "guide_title"),
    [
        ("pt-PT,pt;q=0.9,en;q=0.5", "pt", "Juntar-se à comunidade", "Um guia escrito em conjunto"),
        ("pt-BR", "pt", "Juntar-se à comunidade", "Um guia escrito em conjunto"),
        ("es-ES,es;q=0.9", "es", "Unirse a la comunidad", "Una guía escrita entre todos"),
        ("es-419", "es", "Unirse a la comunidad", "Una guía escrita entre todos"),
    ],
)
def test_landing_page_speaks_the_browsers_portuguese_or_spanish(client, accept_language, lang, join, guide_title):
    response = client.get(reverse("home"), headers={"accept-language": accept_language})

    body = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in body
    assert f">{join}</a>" in body
    assert f">{guide_title}</h2>" in body


@pytest.mark.parametrize(
    ("accept_language", "lang", "heading", "password", "remember"),
    [
        ("pt", "pt", "Iniciar sessão", "Palavra-passe", "Lembrar-me"),
        ("es", "es", "Iniciar sesión", "Contraseña", "Recordarme"),
    ],
)
def test_sign_in_page_speaks_portuguese_or_spanish_including_the_account_forms(
    client, accept_language, lang, heading, password, remember
):
    response = client.get(reverse("account_login"), headers={"accept-language": accept_language})

    body = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in body
    assert re.search(r"<title>\s*(.*?)\s*· Keep in Pact</title>", body).group(1) == heading
    assert f"{password}<span" in body
    assert remember in body


def test_language_switcher_offers_four_languages_named_in_their_own_language(client):
    body = client.get(reverse("home")).content.decode()

    options = re.findall(r'<option value="([a-z]+)"[^>]*>([^<]+)</option>', body)
    assert options == [("en", "English"), ("fr", "Français"), ("pt", "Português"), ("es", "Español")]


@pytest.mark.parametrize(("language", "sign_out"), [("pt", "Terminar sessão"), ("es", "Cerrar sesión")])
def test_member_preferring_portuguese_or_spanish_reads_the_dashboard_in_it(client, member, language, sign_out):
    member.preferred_language = language
    member.save(update_fields=["preferred_language"])
    client.force_login(member)

    body = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()

    assert f'<html lang="{language}">' in body
    assert f'">{sign_out}</a></li>' in body


def test_member_may_choose_portuguese_on_the_profile_and_gets_the_site_in_it(client, member):
    client.force_login(member)

    choices = re.findall(
        r'<option value="([a-z]+)"[^>]*>([^<]+)</option>',
        client.get(reverse("community:profile_edit"))
        .content.decode()
        .split('name="preferred_language"')[1]
        .split("</select>")[0],
    )
    response = client.post(reverse("set_language"), {"language": "pt", "next": "/"}, follow=True)

    assert choices == [("en", "English"), ("fr", "French"), ("pt", "Portuguese"), ("es", "Spanish")]
    assert '<html lang="pt">' in response.content.decode()


def test_approval_email_to_a_portuguese_speaking_member_is_in_portuguese(
    facilitator, django_capture_on_commit_callbacks
):
    member = factories.pending_member(preferred_language="pt", display_name="Rui Almeida")

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_transition(member=member, to=MemberState.APPROVED, by=facilitator)

    [message] = mail.outbox
    assert message.subject == "[Keep in Pact] Bem-vindo(a): a sua adesão foi aprovada"
    assert "Olá Rui Almeida," in message.body
    assert "Complete o seu perfil para que os colegas o encontrem:" in message.body
