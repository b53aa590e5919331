import re

import pytest
from django.core import mail

from community.enums import MemberState
from community.models import User
from community.tests import factories
from e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def test_facilitator_approves_a_sign_up_who_then_finds_a_colleague_by_country_and_expertise(
    page, new_page, live_server
):
    facilitator = factories.facilitator(display_name="Fatou Diallo", email="fatou@example.org")
    nadia = factories.with_profile(
        factories.pending_member(display_name="Nadia Benali", email="nadia@example.org"),
        job_title="Partnership officer",
        organisation_other="Cité des métiers de Casablanca",
    )
    milano = factories.OrganisationFactory(name="Città dei mestieri di Milano", slug="milano", country="IT")
    porto = factories.OrganisationFactory(name="Cité des métiers de Porto", slug="porto", country="PT")
    factories.with_profile(
        factories.UserFactory(display_name="Giulia Rossi"),
        organisation=milano,
        country="IT",
        job_title="Head of office",
        expertise=["GDPR", "Employer engagement"],
    )
    factories.with_profile(
        factories.UserFactory(display_name="Marco Bianchi"),
        organisation=milano,
        country="IT",
        expertise=["Social media"],
    )
    factories.with_profile(
        factories.UserFactory(display_name="Ana Silva"), organisation=porto, country="PT", expertise=["GDPR"]
    )

    # The facilitator finds the sign-up from the dashboard and approves it with a word of welcome.

    sign_in(page, facilitator.email, PASSWORD)
    page.get_by_role("link", name="1 sign-up waits for your approval").click()
    page.get_by_role("heading", name="Sign-ups waiting for approval").wait_for()
    card = page.locator("article", has_text="Nadia Benali")
    assert card.get_by_text("Partnership officer").is_visible()
    card.get_by_label("Message to Nadia Benali (optional)").fill("Welcome to the community, Nadia!")
    card.get_by_role("button", name="Approve Nadia Benali").click()
    page.get_by_text("Nadia Benali is now a member. An email tells them so.").wait_for()
    assert page.get_by_text("No sign-up is waiting.").is_visible()

    nadia.refresh_from_db()
    assert (nadia.state, nadia.state_changed_by) == (MemberState.APPROVED, facilitator)
    assert [m.to for m in mail.outbox] == [["nadia@example.org"]]
    assert "Welcome to the community, Nadia!" in mail.outbox[0].body

    # Nadia signs in at her own desk and looks for a colleague in Italy who knows about GDPR.
    nadia_page = new_page()
    sign_in(nadia_page, "nadia@example.org", PASSWORD)
    nadia_page.get_by_role("heading", name="Welcome, Nadia Benali").wait_for()
    nadia_page.get_by_role("navigation").get_by_role("link", name="Members").click()
    nadia_page.get_by_label("Country").select_option(label="Italy")
    nadia_page.get_by_label("Expertise").select_option(label="GDPR")
    nadia_page.get_by_role("button", name="Find members").click()

    nadia_page.get_by_text("1 member", exact=True).wait_for()
    assert re.search(r"country=IT", nadia_page.url) and re.search(r"expertise=gdpr", nadia_page.url)
    results = nadia_page.locator(".member-card")
    assert results.count() == 1
    results.get_by_role("link", name="Giulia Rossi").click()
    nadia_page.get_by_role("heading", name="Giulia Rossi").wait_for()
    assert nadia_page.get_by_text("Head of office").is_visible()
    assert User.objects.get(email="nadia@example.org").last_login is not None
