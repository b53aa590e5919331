import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from community import hooks
from community.enums import MemberState
from community.models import Organisation, User
from community.tests import factories

pytestmark = pytest.mark.django_db


def test_dashboard_welcome_panel_lists_missing_profile_parts(member_client, member):
    factories.with_profile(member, job_title="Head of office", languages=["pt"])

    response = member_client.get(reverse("home"))

    body = response.content.decode()
    [panel] = [p for p in response.context["panels"] if p["template"] == "community/panels/_welcome.html"]
    assert panel["missing"] == ["centre", "country", "areas of expertise", "short bio"]
    assert "Complete your profile" in body
    assert reverse("community:profile_edit") in body


def test_complete_profile_drops_the_step_and_facilitator_sees_sign_ups(facilitator):
    factories.with_profile(
        facilitator,
        job_title="Facilitator",
        organisation=factories.OrganisationFactory(),
        country="FR",
        bio="Hi",
        languages=["fr"],
        expertise=["Events"],
    )
    factories.pending_member()

    [panel] = hooks.dashboard_panels(facilitator)

    assert (panel["missing"], panel["pending_count"], panel["member_count"]) == ([], 1, 1)


def test_search_finds_listed_members_only(member_client):
    found = factories.with_profile(
        factories.UserFactory(display_name="Giulia Rossi"), expertise=["GDPR"], job_title="Head of office"
    )
    factories.with_profile(
        factories.UserFactory(display_name="Hidden Person", listed_in_directory=False), expertise=["GDPR"]
    )
    factories.with_profile(factories.pending_member(display_name="Pending Person"), expertise=["GDPR"])

    response = member_client.get(reverse("search"), {"q": "gdpr", "kind": "members"})

    assert response.status_code == 200
    assert [(r.title, r.url) for r in response.context["page"].object_list] == [
        ("Giulia Rossi", f"/members/{found.username}/")
    ]


def test_seed_demo_builds_a_believable_community():
    call_command("seed_demo", stdout=io.StringIO())

    centres = Organisation.objects.filter(is_network_team=False)
    assert centres.count() == 12
    assert centres.values("country").distinct().count() >= 6
    assert centres.filter(city="Porto", country="PT").exists()
    team = Organisation.objects.get(is_network_team=True)
    assert User.objects.get(email="facilitator@example.org").organisation == team
    member = User.objects.get(email="member@example.org")
    assert (member.organisation.city, member.country.code, member.state) == ("Porto", "PT", MemberState.APPROVED)
    assert member.languages_spoken.filter(code="pt").exists()
    seeded = User.objects.approved().exclude(
        email__in=["facilitator@example.org", "editor@example.org", "member@example.org"]
    )
    assert seeded.count() == 40
    assert seeded.filter(job_title="").count() == 0
    assert User.objects.filter(state=MemberState.PENDING).count() == 3
    assert all(m.expertise.count() >= 2 for m in seeded)


def test_seed_demo_is_deterministic():
    call_command("seed_demo", stdout=io.StringIO())
    first = list(User.objects.order_by("email").values_list("email", "job_title", "organisation__slug", "show_email"))
    User.objects.all().delete()
    Organisation.objects.all().delete()

    call_command("seed_demo", stdout=io.StringIO())

    assert (
        list(User.objects.order_by("email").values_list("email", "job_title", "organisation__slug", "show_email"))
        == first
    )
