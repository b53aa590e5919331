import re
from datetime import UTC, datetime

import pytest
from django.core import mail
from pypdf import PdfReader

from community.tests.factories import UserFactory, guide_editor
from e2e.conftest import sign_in
from guide.enums import ContributionState
from guide.models import Contribution
from guide.tests.factories import ChapterFactory, CommunityOrganisationFactory
from meetings.tests.factories import MeetingFactory, ResourceFactory
from themes.tests.factories import ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]

PASSWORD = "a-long-test-password"


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
    # Two meetings showed a tool of the same title: the form tells them apart.
    march = MeetingFactory(title="Meeting of March", starts_at=datetime(2025, 3, 12, 13, tzinfo=UTC))
    may = MeetingFactory(title="Meeting of May", starts_at=datetime(2025, 5, 14, 12, tzinfo=UTC))
    ResourceFactory(meeting=march, title="Prompt cards")
    cards = ResourceFactory(meeting=may, title="Prompt cards")

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
    # It grew from the cards shown in May: the member finds them by a word, as they type.
    page.get_by_placeholder("Find a source").press_sequentially("prompt")
    page.get_by_text("2 sources found for “prompt”").wait_for()
    resources = page.get_by_label("From the resource")
    assert resources.locator("option").all_inner_texts() == [
        "---------",
        "Prompt cards — Meeting of May, 14 May 2025",
        "Prompt cards — Meeting of March, 12 March 2025",
    ]
    resources.select_option(label="Prompt cards — Meeting of May, 14 May 2025")
    page.get_by_placeholder("Find a source").fill("meeting of may")
    page.get_by_text("2 sources found for “meeting of may”").wait_for()
    page.get_by_label("From the meeting").select_option(label="Meeting of May, 14 May 2025")
    assert page.get_by_label("From the resource").input_value() == str(cards.pk)
    page.get_by_label(re.compile("I agree that this text is published")).check()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Thank you! Your contribution was sent to the guide editors.").wait_for()
    assert page.locator(".guide-mine .guide-state").inner_text() == "Submitted"
    assert (Contribution.objects.get().source_resource, Contribution.objects.get().source_meeting) == (cards, may)

    # An editor asks for changes in the admin.
    editor_page = new_page()
    sign_in(editor_page, "elise@example.org", PASSWORD)
    _admin_action(
        editor_page, "Gamified speed networking", "Request changes", "Please add how many partners took part."
    )
    # The editor was told of the submission; the member, of the request.
    assert [m.to for m in mail.outbox] == [["elise@example.org"], ["rui@example.org"]]
    assert "Please add how many partners took part." in mail.outbox[1].body

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
    assert len(mail.outbox) == 5  # two to the editor (submitted, resubmitted), three to the member

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


def test_member_finds_a_source_without_javascript_and_keeps_what_they_typed(browser, live_server):
    chapter = ChapterFactory(title="Stimulating links between partners", slug="stimulating-links")
    UserFactory(display_name="Rui Almeida", email="rui@example.org")
    theme = ThemeFactory(title="Gamified speed networking")
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "rui@example.org", PASSWORD)
        page.goto("/guide/contribute/")
        page.get_by_label("Title").fill("Speed networking in Porto")
        page.get_by_label("Kind").select_option(label="Field example of a practice")
        page.get_by_label("Chapter").select_option(label=chapter.title)
        page.get_by_role("textbox", name="Text").fill("Six rounds of six minutes.")
        page.get_by_placeholder("Find a source").fill("gamified")
        with page.expect_navigation():
            page.locator(".guide-sources").get_by_role("button", name="Find", exact=True).click()
        page.get_by_text("1 source found for “gamified”").wait_for()
        assert page.get_by_label("Title").input_value() == "Speed networking in Porto"
        assert page.get_by_role("textbox", name="Text").input_value() == "Six rounds of six minutes."
        assert page.get_by_label("Chapter").input_value() == str(chapter.pk)
        page.get_by_label("From the theme").select_option(label="Gamified speed networking")
        page.get_by_label(re.compile("I agree that this text is published")).check()
        with page.expect_navigation():
            page.get_by_role("button", name="Save as draft").click()
        page.get_by_text("Your draft is saved. Submit it when it is ready.").wait_for()
    finally:
        context.close()
    contribution = Contribution.objects.get()
    assert (contribution.title, contribution.body, contribution.source_theme) == (
        "Speed networking in Porto",
        "Six rounds of six minutes.",
        theme,
    )
