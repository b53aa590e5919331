import re

import pytest
from django.core import mail
from django.urls import reverse

from community.enums import MemberState
from community.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "partnerships-are-built-slowly"


def _signup(client, **overrides):
    data = {
        "display_name": "Ana Ferreira",
        "email": "ana@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
    } | overrides
    return client.post(reverse("account_signup"), data)


def _confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_sends_verification_then_confirm_leads_to_pending_page(client):
    response = _signup(client)

    assert response.status_code == 302
    user = User.objects.get(email="ana@example.org")
    assert user.state == MemberState.PENDING
    assert user.display_name == "Ana Ferreira"
    assert user.username == "ana-ferreira"
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]

    link = _confirmation_link(mail.outbox[0])
    assert client.get(link).status_code == 200
    response = client.post(link, follow=True)

    assert response.redirect_chain[-1][0] == reverse("community:waiting")
    assert "a facilitator will approve you soon" in response.content.decode()
    assert user.emailaddress_set.get().verified is True


def test_unverified_account_cannot_sign_in(client):
    _signup(client)
    client.logout()

    response = client.post(reverse("account_login"), {"login": "ana@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")


def test_pending_member_asking_for_members_page_gets_waiting_page(client, pending):
    client.force_login(pending)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == reverse("community:waiting")
    waiting = client.get(response.url).content.decode()
    # No link back to the home page, which would only lead here again.
    assert f'href="{reverse("home")}"' not in waiting.split('<main id="main"')[1]
    assert f'href="{reverse("guide:toc")}"' in waiting.split('<main id="main"')[1]


def test_visitor_sees_landing_page(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "Join the community" in response.content.decode()


def test_visitor_asking_for_waiting_page_is_sent_to_login(client):
    response = client.get(reverse("community:waiting"))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse('community:waiting')}"


def test_approved_member_gets_dashboard_and_not_waiting_page(member_client):
    assert member_client.get(reverse("home")).status_code == 200
    response = member_client.get(reverse("community:waiting"))
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_signup_with_used_email_looks_like_any_sign_up(client, member):
    # Whether an address has an account is not revealed (see test_security for both kinds).
    response = _signup(client, email=member.email, display_name="Someone Else")

    assert (response.status_code, response.url) == (302, reverse("account_email_verification_sent"))
    assert User.objects.filter(email=member.email).count() == 1
    assert [m.to for m in mail.outbox] == [[member.email]]


@pytest.mark.parametrize(
    ("password", "field_message"),
    [("short", "too short"), ("password1234", "too common")],
)
def test_signup_with_weak_password_is_refused_with_message(client, password, field_message):
    response = _signup(client, password1=password, password2=password)

    assert response.status_code == 200
    assert field_message in " ".join(response.context["form"].errors["password1"])
    body = response.content.decode()
    assert 'value="ana@example.org"' in body
    assert 'value="Ana Ferreira"' in body
    assert not User.objects.filter(email="ana@example.org").exists()


def test_signup_with_invalid_email_is_refused(client):
    response = _signup(client, email="not-an-email")

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert 'value="Ana Ferreira"' in response.content.decode()
    assert User.objects.count() == 0


def test_password_reset_sends_mail(client, member):
    response = client.post(reverse("account_reset_password"), {"email": member.email})

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_admin_login_goes_through_accounts_pages(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_signup_language_becomes_preference(client):
    client.cookies["django_language"] = "fr"
    _signup(client)

    assert User.objects.get(email="ana@example.org").preferred_language == "fr"


def test_account_emails_name_the_platform_and_the_member_not_the_host_or_handle(client, member):
    _signup(client)
    client.post(reverse("account_reset_password"), {"email": member.email})

    confirmation, reset = mail.outbox
    assert confirmation.body.startswith("Hello from Keep in Pact!")
    assert "user Ana Ferreira has given your email address" in confirmation.body
    assert "ana-ferreira" not in confirmation.body
    assert reset.body.startswith("Hello from Keep in Pact!")
    assert "Thank you for using Keep in Pact!\ntestserver" in reset.body


def test_sign_in_message_greets_the_member_by_name(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "a-long-test-password"}, follow=True
    )

    messages = [str(m) for m in response.context["messages"]]
    assert messages == [f"Successfully signed in as {member.display_name}."]


def test_email_page_shows_verified_and_primary_as_badges(member_client):
    html = member_client.get(reverse("account_email")).content.decode()

    assert '<span class="badge ms-1 text-bg-success">' in html
    assert '<span class="badge ms-1 text-bg-primary">' in html


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("America/Sao_Paulo", "America/Sao_Paulo"),
        # An older alias (as some browsers report them) is kept as the zone it stands for.
        ("America/Montreal", "America/Toronto"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Factory", "UTC"),
        ("Mars/Olympus", "UTC"),
        ("", "UTC"),
    ],
)
def test_signup_keeps_the_browsers_time_zone_when_it_is_a_real_one(client, sent, stored):
    response = _signup(client, time_zone=sent)

    assert response.status_code == 302
    assert User.objects.get(email="ana@example.org").time_zone == stored


def test_password_reset_email_speaks_the_members_language(client, member):
    member.preferred_language = "fr"
    member.save(update_fields=["preferred_language"])

    client.post(reverse("account_reset_password"), {"email": member.email})

    (reset,) = mail.outbox
    assert reset.body.startswith("Bonjour, c'est Keep in Pact !")


def test_account_settings_pages_link_to_each_other_and_to_the_profile(member_client):
    html = member_client.get(reverse("account_change_password")).content.decode()

    assert f'href="{reverse("community:profile_edit")}"' in html
    assert f'href="{reverse("account_email")}"' in html
    assert f'active" aria-current="page" href="{reverse("account_change_password")}"' in html
