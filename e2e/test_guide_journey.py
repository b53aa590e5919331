import re
from importlib import import_module

import pytest
from django.core import mail
from pypdf import PdfReader

from community.tests.factories import UserFactory, guide_editor
from e2e.conftest import sign_in
from guide.enums import ContributionState
from guide.models import Contribution
from guide.tests.factories import ChapterFactory, CommunityOrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _editors_group(db):
    """Transactional tests empty the tables, groups included: restore what the guide's data migration grants."""
    from django.contrib.auth.models import Group, Permission

    grants = import_module("guide.migrations.0002_guide_editors_permissions")
    group, _ = Group.objects.get_or_create(name=grants.GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="guide", codename__in=grants.CODENAMES))


def _admin_action(page, title: str, action_label: str, comment: str = "") -> None:
    page.goto("/admin/guide/contribution/")
    page.get_by_role("row").filter(has_text=title).get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option(label=action_label)
    page.get_by_role("button", name="Go").click()
    page.get_by_label("Comment for the author(s)").fill(comment)
    page.locator("input[type=submit]").click()
    page.get_by_text(f"{action_label}: 1 contribution done.").wait_for()


def test_member_contributes_editor_reviews_in_admin_visitor_reads_and_downloads(page, new_page):
    chapter = ChapterFactory(title="Stimulating links between partners", slug="stimulating-links")
    centre = CommunityOrganisationFactory(name="Cité des métiers de Porto")
    member = UserFactory(display_name="Rui Almeida", email="rui@example.org", organisation=centre)
    guide_editor(display_name="Élise Éditrice", email="elise@example.org", is_staff=True)

    # A member writes a contribution and submits it.
    sign_in(page, "rui@example.org", PASSWORD)
    page.goto("/guide/")
    page.get_by_role("link", name="Contribute").click()
    page.get_by_label("Title").fill("Gamified speed networking")
    page.get_by_label("Kind").select_option(label="Field example of a practice")
    page.get_by_label("Chapter").select_option(label=chapter.title)
    page.get_by_role("textbox", name="Text").fill("Partners meet in **short rounds**.")
    page.get_by_role("button", name="Preview").click()
    page.locator("#guide-preview strong", has_text="short rounds").wait_for()
    page.get_by_label(re.compile("I agree that this text is published")).check()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Thank you! Your contribution was sent to the guide editors.").wait_for()
    assert page.locator(".guide-mine .guide-state").inner_text() == "Submitted"

    # An editor asks for changes in the admin.
    editor_page = new_page()
    sign_in(editor_page, "elise@example.org", PASSWORD)
    _admin_action(
        editor_page, "Gamified speed networking", "Request changes", "Please add how many partners took part."
    )
    assert [m.to for m in mail.outbox] == [["rui@example.org"]]
    assert "Please add how many partners took part." in mail.outbox[0].body

    # The member reads the comment, revises and resubmits.
    page.goto("/guide/mine/")
    page.get_by_text("Please add how many partners took part.").wait_for()
    page.get_by_role("link", name="Edit").click()
    page.get_by_role("textbox", name="Text").fill("Partners meet in **short rounds**: 42 partners took part.")
    page.get_by_role("button", name="Resubmit").click()
    page.get_by_text("Your contribution was sent to the guide editors.").wait_for()
    assert Contribution.objects.get().state == ContributionState.SUBMITTED

    # The editor sees what changed, accepts and publishes.
    contribution = Contribution.objects.get()
    editor_page.goto(f"/admin/guide/contribution/{contribution.pk}/change/")
    editor_page.get_by_role("link", name="Changes since the last review").click()
    editor_page.locator("tr.replace td.right", has_text="42 partners took part").wait_for()
    _admin_action(editor_page, "Gamified speed networking", "Accept")
    _admin_action(editor_page, "Gamified speed networking", "Publish", "Thank you!")
    assert Contribution.objects.get().state == ContributionState.PUBLISHED
    assert len(mail.outbox) == 3

    # A visitor reads it in the public guide and downloads the PDF.
    visitor = new_page()
    visitor.goto("/guide/")
    visitor.get_by_role("link", name="Stimulating links between partners").click()
    visitor.get_by_role("heading", name="Gamified speed networking").wait_for()
    visitor.get_by_text("Rui Almeida, Cité des métiers de Porto").wait_for()
    visitor.get_by_role("link", name="Back to the table of contents").click()
    with visitor.expect_download() as download_info:
        visitor.get_by_role("link", name="Download the guide (PDF)").click()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(download_info.value.path()).pages)
    assert "Gamified speed networking" in text
    assert "42 partners took part" in text
    assert member.display_name in text
