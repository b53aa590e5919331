"""Attacks from outside and from a signed-in member, each reproduced, then refused."""

import json
import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from community.adapters import client_ip_from
from community.models import User
from community.tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
NEW_PASSWORD = "partnerships-are-built-slowly"


def _signup(client, email):
    return client.post(
        reverse("account_signup"),
        {"display_name": "Ana Ferreira", "email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


# --- Nothing reveals who has an account --------------------------------------------------------


def test_signup_answers_the_same_for_a_known_and_an_unknown_address(member):
    known = _signup(Client(), member.email)
    unknown = _signup(Client(), "new-person@example.org")

    assert (known.status_code, known.url) == (302, reverse("account_email_verification_sent"))
    assert (unknown.status_code, unknown.url) == (302, reverse("account_email_verification_sent"))
    assert User.objects.filter(email=member.email).count() == 1
    assert User.objects.filter(email="new-person@example.org").count() == 1
    # The owner of the known address is told someone tried; the new address gets its link.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, "new-person@example.org"])
    to_owner = next(m for m in mail.outbox if m.to == [member.email])
    assert "/accounts/confirm-email/" not in to_owner.body
    assert "http://testserver/accounts/password/reset/" in to_owner.body


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address(client, member):
    known = client.post(reverse("account_reset_password"), {"email": member.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert (known.status_code, known.url) == (302, reverse("account_reset_password_done"))
    assert (unknown.status_code, unknown.url) == (302, reverse("account_reset_password_done"))
    assert [m.to for m in mail.outbox] == [[member.email], ["nobody@example.org"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "/accounts/password/reset/key/" not in mail.outbox[1].body


def test_login_with_a_wrong_password_answers_the_same_for_a_known_and_an_unknown_address(member):
    known = Client().post(reverse("account_login"), {"login": member.email, "password": "wrong-password-1"})
    unknown = Client().post(reverse("account_login"), {"login": "nobody@example.org", "password": "wrong-password-1"})

    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_adding_an_address_of_another_account_answers_like_a_free_one(member_client, member):
    other = factories.UserFactory(email="taken@example.org")

    taken = member_client.post(reverse("account_email"), {"action_add": "", "email": other.email})
    free = member_client.post(reverse("account_email"), {"action_add": "", "email": "free@example.org"})

    assert (taken.status_code, taken.url) == (302, reverse("account_email"))
    assert (free.status_code, free.url) == (302, reverse("account_email"))
    # Listed the same way (unverified) on the member's page; only the free one can be verified.
    assert list(member.emailaddress_set.order_by("email").values_list("email", "verified")) == [
        ("free@example.org", False),
        (member.email, True),
        ("taken@example.org", False),
    ]
    assert list(other.emailaddress_set.values_list("email", "verified")) == [("taken@example.org", True)]
    assert sorted(m.to[0] for m in mail.outbox) == ["free@example.org", "taken@example.org"]
    # The link sent to the other account's address cannot take it over.
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body).group(1)
    member_client.post(link)
    assert member.emailaddress_set.get(email="taken@example.org").verified is False


# --- Host header and client address -----------------------------------------------------------


def test_lockout_holds_when_the_host_header_changes(member):
    for _attempt in range(5):
        Client().post(reverse("account_login"), {"login": member.email, "password": "wrong-password-1"})

    response = Client().post(
        reverse("account_login"), {"login": member.email, "password": PASSWORD}, HTTP_HOST="localhost:8112"
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session
    assert response.context["form"].errors["__all__"] == [
        "Too many failed login attempts. Try again later.",
    ]


def test_password_reset_link_uses_site_url_not_the_request_host(member):
    Client().post(reverse("account_reset_password"), {"email": member.email}, HTTP_HOST="evil.example.com")

    links = re.findall(r"https?://[^/\s]+/accounts/password/reset/key/\S+", mail.outbox[0].body)
    assert len(links) == 1
    assert links[0].startswith("http://testserver/accounts/password/reset/key/")


def test_verification_link_uses_site_url_not_the_request_host():
    Client().post(
        reverse("account_signup"),
        {"display_name": "Ana", "email": "ana@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        HTTP_HOST="evil.example.com",
    )

    assert re.findall(r"https?://([^/\s]+)/accounts/confirm-email/", mail.outbox[0].body) == ["testserver"]


@pytest.mark.parametrize(
    ("forwarded", "count", "expected"),
    [
        ("", 0, "10.0.0.1"),
        ("203.0.113.9", 0, "10.0.0.1"),
        ("203.0.113.9", 1, "203.0.113.9"),
        ("198.51.100.7, 203.0.113.9", 1, "203.0.113.9"),
        ("198.51.100.7, 203.0.113.9", 2, "198.51.100.7"),
        ("203.0.113.9", 2, "10.0.0.1"),
        ("not-an-address", 1, "10.0.0.1"),
    ],
)
def test_client_address_is_read_through_the_trusted_proxies_only(forwarded, count, expected):
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded}

    assert client_ip_from(meta, count) == expected


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_failed_logins_from_one_visitor_behind_the_proxy_do_not_lock_out_the_others(member):
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for attempt in range(10):
        Client().post(
            reverse("account_login"),
            {"login": f"someone{attempt}@example.org", "password": "wrong-password-1"},
            HTTP_X_FORWARDED_FOR="198.51.100.7",
            **proxy,
        )
    blocked = Client().post(
        reverse("account_login"),
        {"login": "another@example.org", "password": "wrong-password-1"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )

    response = Client().post(
        reverse("account_login"),
        {"login": member.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        **proxy,
    )

    assert blocked.context["form"].errors["__all__"] == ["Too many failed login attempts. Try again later."]
    assert response.status_code == 302
    assert response.wsgi_request.user == member


def test_production_refuses_a_host_with_another_port(client):
    with override_settings(EXACT_ALLOWED_HOSTS=True, ALLOWED_HOSTS=["pact.example.org"]):
        exact = Client().get("/", HTTP_HOST="pact.example.org")
        with_port = Client().get("/", HTTP_HOST="pact.example.org:8112")

    assert exact.status_code == 200
    assert with_port.status_code == 400
    assert with_port.content.decode() == "This address is not served here."


# --- NUL characters ---------------------------------------------------------------------------


def test_nul_in_a_directory_filter_is_dropped_not_a_500(member_client, member):
    factories.with_profile(member, expertise=["GDPR"])

    response = member_client.get("/members/", {"expertise": "GD\x00PR"})

    assert response.status_code == 200
    assert response.wsgi_request.GET["expertise"] == "GDPR"
    assert [m.pk for m in response.context["page"].object_list] == [member.pk]


def test_nul_in_an_admin_list_filter_is_not_a_500(admin_client):
    response = admin_client.get("/admin/community/user/", {"state": "\x00", "q": "a\x00b"})

    assert response.status_code == 200


def test_nul_in_a_form_field_is_dropped(member_client, member):
    response = member_client.post(
        reverse("community:profile_edit"),
        {
            "display_name": "Mari\x00ana",
            "preferred_language": "en",
            "time_zone": "Europe/Lisbon",
            "listed_in_directory": "on",
        },
    )

    assert response.status_code in (200, 302)
    member.refresh_from_db()
    assert "\x00" not in member.display_name


def test_nul_in_a_path_is_a_404(member_client):
    assert member_client.get("/guide/ab%00cd/").status_code == 404


# --- Admin: taggit's merge-tags action --------------------------------------------------------


def test_staff_cannot_merge_tags_through_taggits_page(member):
    factories.with_profile(member, expertise=["GDPR", "Partnerships"])
    editor = factories.guide_editor(is_staff=True)
    client = Client()
    client.force_login(editor)
    session = client.session
    session["selected_tag_ids"] = ",".join(str(pk) for pk in Tag.objects.values_list("pk", flat=True))
    session.save()

    response = client.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": "Merged"})

    # No such page any more: the admin reads "merge-tags" as a tag's id and finds none.
    assert response.status_code == 302
    assert response.url == "/admin/taggit/tag/merge-tags/change/"
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["GDPR", "Partnerships"]
    assert TaggedItem.objects.filter(object_id=member.pk).count() == 2


def test_tag_admin_offers_no_merge_action(admin_client):
    response = admin_client.get("/admin/taggit/tag/")

    assert response.status_code == 200
    assert "render_tag_form" not in response.content.decode()


# --- Account deletion, decline, member deletion ----------------------------------------------


def test_password_checks_on_account_deletion_are_limited(member_client, member):
    for _attempt in range(5):
        wrong = member_client.post(reverse("community:account_delete"), {"confirmation": "not-my-password"})
        assert wrong.status_code == 200

    response = member_client.post(reverse("community:account_delete"), {"confirmation": PASSWORD})

    assert response.status_code == 429
    assert User.objects.filter(pk=member.pk).exists()


def test_deleting_a_member_removes_their_expertise_tags_and_keeps_others(member_client, member):
    other = factories.with_profile(factories.UserFactory(), expertise=["Partnerships"])
    factories.with_profile(member, expertise=["GDPR", "Partnerships"])

    response = member_client.post(reverse("community:account_delete"), {"confirmation": PASSWORD})

    assert response.status_code == 302
    assert list(Tag.objects.values_list("name", flat=True)) == ["Partnerships"]
    assert list(TaggedItem.objects.values_list("object_id", flat=True)) == [other.pk]


# --- Cookies and caches -----------------------------------------------------------------------


def test_data_export_is_not_stored_by_any_cache(member_client, member):
    response = member_client.get(reverse("community:export"))

    assert response.status_code == 200
    assert sorted(response["Cache-Control"].split(", ")) == ["no-store", "private"]
    assert json.loads(response.content)["site"] == "http://testserver/"
