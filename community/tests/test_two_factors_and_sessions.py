"""Two factors for staff, facilitators and editors; sessions that end; the content security policy."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.test import Client, override_settings
from django.urls import reverse

from community import twofactor
from community.enums import FACILITATORS_GROUP
from community.security import LAST_SEEN_KEY
from community.tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


# --- Two factors ------------------------------------------------------------------------------


def _signed_in_with_password(user) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _confirm_password(client) -> None:
    """Changing one's factors asks for the password again (allauth's reauthentication)."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("path", ["/members/pending/", "/admin/", "/meetings/new/", "/"])
def test_facilitator_without_two_factors_is_sent_to_set_them_up(path):
    facilitator = factories.facilitator(two_factors=False, is_staff=True)
    client = _signed_in_with_password(facilitator)

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    _confirm_password(client)
    page = client.get(response.url)
    assert page.status_code == 200
    assert "set up two-factor authentication" in page.content.decode()


def test_guide_editor_without_two_factors_is_sent_to_set_them_up():
    editor = factories.guide_editor(two_factors=False)
    client = Client()
    client.force_login(editor)

    response = client.get("/guide/")

    assert (response.status_code, response.url) == (302, reverse("mfa_activate_totp"))


def test_member_without_two_factors_is_not_asked_for_them(member_client):
    assert member_client.get("/members/").status_code == 200


def test_facilitator_sets_up_an_authenticator_app_then_reaches_the_pages():
    facilitator = factories.facilitator(two_factors=False)
    client = _signed_in_with_password(facilitator)
    _confirm_password(client)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret

    response = client.post(reverse("mfa_activate_totp"), {"code": twofactor.totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=facilitator, type=Authenticator.Type.TOTP).count() == 1
    assert client.get("/members/pending/").status_code == 200


def _password_step(email: str) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert (response.status_code, response.url) == (302, reverse("mfa_authenticate"))
    return client


def test_facilitator_sign_in_asks_for_the_code_and_refuses_a_wrong_one(facilitator):
    client = _password_step(facilitator.email)

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    right = client.post(reverse("mfa_authenticate"), {"code": twofactor.totp_code(factories.TEST_TOTP_SECRET)})

    assert wrong.status_code == 200
    assert "_auth_user_id" not in wrong.wsgi_request.session
    assert right.status_code == 302
    assert right.wsgi_request.user == facilitator


def test_codes_are_rate_limited(facilitator):
    client = _password_step(facilitator.email)
    for _attempt in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})

    response = client.post(reverse("mfa_authenticate"), {"code": twofactor.totp_code(factories.TEST_TOTP_SECRET)})

    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session
    assert response.context["form"].errors["code"] == ["Too many failed login attempts. Try again later."]


def test_facilitator_cannot_remove_their_authenticator_app(facilitator):
    client = _password_step(facilitator.email)
    client.post(reverse("mfa_authenticate"), {"code": twofactor.totp_code(factories.TEST_TOTP_SECRET)})
    _confirm_password(client)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 200
    assert response.context["form"].errors["__all__"] == ["You cannot deactivate two-factor authentication."]
    assert Authenticator.objects.filter(user=facilitator, type=Authenticator.Type.TOTP).count() == 1


def test_member_may_remove_their_authenticator_app(member):
    client = _signed_in_with_password(member)
    twofactor.totp_enable(user=member, secret=factories.TEST_TOTP_SECRET)
    _confirm_password(client)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).count() == 0


def test_account_settings_link_to_two_factors_and_sessions(member_client):
    body = member_client.get(reverse("account_email")).content.decode()

    assert f'href="{reverse("mfa_index")}"' in body
    assert f'href="{reverse("usersessions_list")}"' in body


def test_totp_code_matches_rfc_6238_test_vector():
    # RFC 6238, appendix B: the SHA-1 secret "12345678901234567890" at 59 s gives 94287082 (8 digits).
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    with override_settings(MFA_TOTP_DIGITS=8):
        assert twofactor.totp_code(secret, at=59) == "94287082"
    assert twofactor.totp_code(secret, at=59) == "287082"


# --- Sessions ---------------------------------------------------------------------------------


def test_session_ends_after_the_idle_period(member_client):
    session = member_client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 121 * 60
    session.save()

    response = member_client.get("/members/")

    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=/members/"
    assert "_auth_user_id" not in member_client.session


def test_session_in_use_stays_open(member_client):
    session = member_client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 119 * 60
    session.save()

    assert member_client.get("/members/").status_code == 200
    assert member_client.session[LAST_SEEN_KEY] >= int(time.time()) - 5


@override_settings(SESSION_IDLE_MINUTES=5)
def test_idle_period_is_configurable(member_client):
    session = member_client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 6 * 60
    session.save()

    assert member_client.get("/members/").status_code == 302


def test_member_signs_out_their_other_sessions(member):
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        device.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert UserSession.objects.filter(user=member).count() == 2

    response = laptop.post(reverse("usersessions_list"))

    assert response.status_code == 302
    assert laptop.get("/members/").status_code == 200
    assert phone.get("/members/").status_code == 302
    assert UserSession.objects.filter(user=member).count() == 1


# --- Content security policy ------------------------------------------------------------------


def test_every_page_sends_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-inline" not in policy


def test_htmx_is_told_not_to_inject_styles(client):
    body = client.get("/").content.decode()

    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in body


def test_group_added_later_needs_two_factors_too(member):
    member.groups.add(Group.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    client = Client()
    client.force_login(member)

    assert client.get("/members/pending/").url == reverse("mfa_activate_totp")
