import json

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.files.base import ContentFile
from django.urls import reverse
from taggit.models import TaggedItem

from community.models import MemberLanguage, User
from community.tests import factories

pytestmark = pytest.mark.django_db


def test_export_downloads_my_profile_as_json(member_client, member):
    centre = factories.OrganisationFactory(name="Cité des métiers de Porto")
    factories.with_profile(
        member, organisation=centre, job_title="Head of office", languages=["pt", "en"], expertise=["GDPR"]
    )

    response = member_client.get(reverse("community:export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="keep-in-pact-{member.username}.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == member.email
    assert data["account"]["membership"] == "approved"
    assert data["profile"] == {
        "job_title": "Head of office",
        "centre": "Cité des métiers de Porto",
        "centre_not_listed": "",
        "city": "",
        "country": None,
        "languages": ["en", "pt"],
        "expertise": ["GDPR"],
        "bio": "",
        "photo": None,
        "privacy": {"show_email": False, "show_photo": True, "listed_in_directory": True},
    }


def test_delete_page_asks_for_the_password(member_client):
    response = member_client.get(reverse("community:account_delete"))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'type="password"' in body
    assert "data-confirm=" in body


def test_wrong_password_deletes_nothing(member_client, member):
    response = member_client.post(reverse("community:account_delete"), {"confirmation": "not-my-password"})

    assert response.status_code == 200
    assert response.context["form"].errors["confirmation"] == ["This is not your password."]
    assert User.objects.filter(pk=member.pk).exists()


def test_delete_erases_profile_signs_out_and_says_so(
    member_client, member, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    factories.with_profile(member, languages=["pt"], expertise=["GDPR"])
    member.photo.save("abc.jpg", ContentFile(b"jpeg"), save=True)
    photo_path = tmp_path / member.photo.name
    assert photo_path.exists()
    colleague = factories.with_profile(factories.UserFactory(), expertise=["GDPR"])

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            reverse("community:account_delete"), {"confirmation": "a-long-test-password"}, follow=True
        )

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "Your account and personal data are deleted." in response.content.decode()
    assert SESSION_KEY not in member_client.session
    assert not User.objects.filter(pk=member.pk).exists()
    assert not MemberLanguage.objects.filter(member_id=member.pk).exists()
    assert list(TaggedItem.objects.values_list("object_id", flat=True)) == [colleague.pk]
    assert not photo_path.exists()


def test_account_without_password_confirms_with_its_email(client):
    member = factories.UserFactory()
    member.set_unusable_password()
    member.save()
    client.force_login(member)

    refused = client.post(reverse("community:account_delete"), {"confirmation": "someone@else.org"})
    response = client.post(reverse("community:account_delete"), {"confirmation": member.email.upper()})

    assert refused.context["form"].errors["confirmation"] == ["This is not the email address of your account."]
    assert response.status_code == 302
    assert not User.objects.filter(pk=member.pk).exists()
