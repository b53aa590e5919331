import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from community.enums import MemberState
from community.models import Organisation, User
from community.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_facilitator_client():
    facilitator = factories.facilitator(is_staff=True)
    client = Client()
    client.force_login(facilitator)
    client.user = facilitator
    return client


def test_facilitator_adds_and_edits_a_centre_in_the_admin(staff_facilitator_client):
    client = staff_facilitator_client
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:community_organisation_changelist")).status_code == 200

    response = client.post(
        reverse("admin:community_organisation_add"),
        {
            "name": "Cité des métiers de Zaragoza",
            "short_name": "CdM Zaragoza",
            "slug": "zaragoza",
            "city": "Zaragoza",
            "country": "ES",
            "website": "",
        },
    )

    assert response.status_code == 302
    centre = Organisation.objects.get(slug="zaragoza")
    assert (centre.name, centre.country.code, centre.is_network_team) == ("Cité des métiers de Zaragoza", "ES", False)
    response = client.post(
        reverse("admin:community_organisation_change", args=[centre.pk]),
        {
            "name": centre.name,
            "short_name": "Zaragoza",
            "slug": "zaragoza",
            "city": "Zaragoza",
            "country": "ES",
            "website": "https://example.org",
        },
    )
    assert response.status_code == 302
    centre.refresh_from_db()
    assert (centre.short_name, centre.website) == ("Zaragoza", "https://example.org")


def test_facilitator_sees_accounts_but_cannot_edit_them(staff_facilitator_client):
    member = factories.UserFactory()
    client = staff_facilitator_client

    assert client.get(reverse("admin:community_user_changelist")).status_code == 200
    assert client.get(reverse("admin:community_user_change", args=[member.pk])).status_code == 200
    response = client.post(
        reverse("admin:community_user_change", args=[member.pk]), {"email": member.email, "is_superuser": "on"}
    )
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.is_superuser is False
    assert client.get(reverse("admin:community_user_add")).status_code == 403


def test_admin_approve_action_goes_through_the_state_machine(
    staff_facilitator_client, django_capture_on_commit_callbacks
):
    pending = factories.pending_member()
    approved = factories.UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_facilitator_client.post(
            reverse("admin:community_user_changelist"),
            {"action": "membership_approved", "_selected_action": [pending.pk, approved.pk], "index": 0},
            follow=True,
        )

    assert response.status_code == 200
    pending.refresh_from_db()
    assert (pending.state, pending.state_changed_by) == (MemberState.APPROVED, staff_facilitator_client.user)
    assert [m.to for m in mail.outbox] == [[pending.email]]
    body = response.content.decode()
    assert "1 account moved to “Approved”." in body
    assert f"Not allowed from their current state: {approved}." in body


def test_admin_suspend_action_signs_the_member_out(staff_facilitator_client):
    member = factories.UserFactory()
    member_client = Client()
    member_client.force_login(member)

    staff_facilitator_client.post(
        reverse("admin:community_user_changelist"),
        {"action": "membership_suspended", "_selected_action": [member.pk], "index": 0},
    )

    member.refresh_from_db()
    assert member.state == MemberState.SUSPENDED
    assert member_client.get(reverse("community:directory")).url.startswith(reverse("account_login"))


def test_staff_without_the_facilitator_role_cannot_manage_centres():
    editor = factories.guide_editor(is_staff=True)
    client = Client()
    client.force_login(editor)

    assert client.get(reverse("admin:community_organisation_changelist")).status_code == 403
    assert client.get(reverse("admin:community_user_changelist")).status_code == 403


def test_superuser_creates_an_account_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:community_user_add"),
        {
            "email": "new@example.org",
            "username": "new-person",
            "display_name": "New Person",
            "usable_password": "true",
            "password1": "a-long-admin-password",
            "password2": "a-long-admin-password",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert (user.display_name, user.state) == ("New Person", MemberState.PENDING)
    assert user.check_password("a-long-admin-password")


def test_superuser_edits_a_profile_in_the_admin_but_not_the_state(admin_client):
    member = factories.UserFactory(display_name="Old Name")
    response = admin_client.get(reverse("admin:community_user_change", args=[member.pk]))
    form = response.context["adminform"].form
    [prefix] = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    data = {
        name: value for name, value in form.initial.items() if value is not None and name not in ("expertise", "photo")
    }
    data |= {
        "display_name": "New Name",
        "state": "suspended",
        "expertise": "GDPR",
        "groups": [],
        "user_permissions": [],
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    data = {k: v for k, v in data.items() if v not in (False, [])} | {"is_active": "on"}

    response = admin_client.post(reverse("admin:community_user_change", args=[member.pk]), data)

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.display_name, member.state) == ("New Name", MemberState.APPROVED)


def test_country_filters_offer_only_countries_in_use(staff_facilitator_client):
    factories.OrganisationFactory(name="Cité des métiers de Dakar", country="SN")
    factories.UserFactory(country="PT")
    client = staff_facilitator_client

    accounts = client.get(reverse("admin:community_user_changelist")).content.decode()
    centres = client.get(reverse("admin:community_organisation_changelist")).content.decode()
    filtered = client.get(reverse("admin:community_user_changelist"), {"country": "PT"})

    assert "?country=PT" in accounts and "?country=ZW" not in accounts
    assert "country=SN" in centres and "country=ZW" not in centres
    assert [u.country.code for u in filtered.context["cl"].result_list] == ["PT"]
