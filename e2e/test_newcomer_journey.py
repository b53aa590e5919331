"""A newcomer's first steps: approved and paired with a buddy by a facilitator, then guided by a
checklist on the dashboard that ticks itself as they complete their profile and answer a meeting."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from community.enums import FACILITATORS_GROUP, GUIDE_EDITORS_GROUP
from community.models import BuddyPairing, User
from community.tests import factories
from e2e.conftest import sign_in
from guide.tests.factories import ChapterFactory
from meetings.tests.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    """Tests with real transactions flush the database, groups from data migrations included."""
    for name in (FACILITATORS_GROUP, GUIDE_EDITORS_GROUP):
        Group.objects.get_or_create(name=name)


def _step(page, key: str):
    return page.locator(f"#first-step-{key}")


def test_facilitator_approves_and_pairs_a_newcomer_whose_checklist_ticks_itself(page, new_page):
    ChapterFactory(slug="onboarding-new-colleagues", title="Onboarding new colleagues")
    MeetingFactory(title="February meeting")
    facilitator = factories.facilitator(display_name="Fatou Diallo", email="fatou@example.org")
    factories.with_profile(
        factories.UserFactory(display_name="Pedro Faraway", preferred_language="es"), country="ES", languages=["es"]
    )
    buddy = factories.with_profile(
        factories.UserFactory(display_name="Beatriz Lopes", email="beatriz@example.org", preferred_language="pt"),
        country="PT",
        languages=["pt", "en"],
    )
    nina = factories.with_profile(
        factories.pending_member(display_name="Nina Newcomer", email="nina@example.org"),
        job_title="Partnership officer",
        organisation_other="Cité des métiers de Braga",
        country="PT",
        languages=["pt"],
    )

    # The facilitator approves the sign-up, then finds her among the newcomers without a buddy.
    sign_in(page, facilitator.email, PASSWORD)
    page.goto("/members/pending/")
    page.locator("article", has_text="Nina Newcomer").get_by_role("button", name="Approve Nina Newcomer").click()
    page.get_by_text("Nina Newcomer is now a member. An email tells them so.").wait_for()
    [approval] = mail.outbox
    assert "/guide/onboarding-new-colleagues/" in approval.body
    page.get_by_role("link", name="Pair Nina Newcomer with a buddy").click()
    page.get_by_role("heading", name="A buddy for Nina Newcomer").wait_for()

    # Beatriz shares her language and country, and comes first; Pedro shares neither.
    choices = page.locator(".buddy-choice label")
    assert choices.first.inner_text().startswith("Beatriz Lopes")
    assert page.get_by_text("Pedro Faraway").count() == 0
    page.get_by_label(re.compile("^Beatriz Lopes")).check()
    page.get_by_role("button", name="Pair them").click()
    page.get_by_text("Beatriz Lopes is now the buddy of Nina Newcomer.").wait_for()
    assert page.locator("#profile-buddy").inner_text() == "Beatriz Lopes"
    assert list(BuddyPairing.objects.values_list("newcomer_id", "buddy_id")) == [(nina.pk, buddy.pk)]
    assert sorted(m.to[0] for m in mail.outbox[1:]) == ["beatriz@example.org", "nina@example.org"]

    # The newcomer signs in: a checklist, her buddy, nothing ticked yet.
    newcomer = new_page()
    sign_in(newcomer, "nina@example.org", PASSWORD)
    newcomer.get_by_role("heading", name="Your first steps").wait_for()
    assert newcomer.get_by_text("Your buddy: Beatriz Lopes.").is_visible()
    assert [
        _step(newcomer, key).get_attribute("data-done") for key in ("profile", "meeting", "onboarding", "theme")
    ] == ["false"] * 4

    # She completes her profile from the checklist.
    _step(newcomer, "profile").get_by_role("link").click()
    newcomer.get_by_label("Areas of expertise").fill("Employer engagement, Events")
    newcomer.get_by_label("Short bio").fill("I look after our partnerships with local employers.")
    newcomer.get_by_role("button", name="Save my profile").click()
    newcomer.get_by_text("Your profile is saved.").wait_for()
    newcomer.goto("/")
    assert _step(newcomer, "profile").get_attribute("data-done") == "true"
    assert newcomer.get_by_text("1 of 4 done.", exact=False).is_visible()

    # She answers the next meeting from the dashboard.
    newcomer.locator(".meeting-panel").get_by_role("button", name="Going", exact=True).click()
    newcomer.get_by_role("heading", name="Your first steps").wait_for()
    assert _step(newcomer, "meeting").get_attribute("data-done") == "true"
    assert newcomer.get_by_text("2 of 4 done.", exact=False).is_visible()

    # She opens the onboarding chapter: that step ticks too.
    _step(newcomer, "onboarding").get_by_role("link").click()
    newcomer.get_by_role("heading", name="Onboarding new colleagues").first.wait_for()
    newcomer.goto("/")
    assert _step(newcomer, "onboarding").get_attribute("data-done") == "true"
    assert _step(newcomer, "theme").get_attribute("data-done") == "false"
    assert User.objects.get(pk=nina.pk).onboarding_read_at is not None
