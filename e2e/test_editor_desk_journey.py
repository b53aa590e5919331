"""From a presented theme's experience sheet to a published entry with its co-author: the member
drafts from the sheet with the co-presenter as co-author, the co-author consents and edits, an
editor is mailed and reviews on the entry's admin page."""

import re

import pytest
from django.core import mail

from community.tests.factories import UserFactory, guide_editor
from e2e.conftest import sign_in
from e2e.steps import (
    SHEET_OPENING,
    consent_as_co_author_by_name_only,
    presented_theme_with_sheet,
    submit_from_the_sheet,
)
from guide.enums import CoAuthorCredit, ContributionState
from guide.models import Contribution
from guide.tests.factories import ChapterFactory, CommunityOrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]

PASSWORD = "a-long-test-password"
ADMIN_PATH = re.compile(r"/admin/guide/contribution/\d+/change/")


def _mails_to(email: str) -> list:
    return [m for m in mail.outbox if m.to == [email]]


def test_contribution_from_a_sheet_with_a_co_author_reviewed_on_the_editors_desk(page, new_page):
    chapter = ChapterFactory(title="Stimulating links between partners", slug="stimulating-links")
    porto = CommunityOrganisationFactory(name="Cité des métiers de Porto")
    lisbon = CommunityOrganisationFactory(name="Cité des métiers de Lisboa")
    rui = UserFactory(display_name="Rui Almeida", email="rui@example.org", organisation=porto)
    bruno = UserFactory(display_name="Bruno Costa", email="bruno@example.org", organisation=lisbon)
    UserFactory(display_name="Carla Sousa", email="carla@example.org")
    guide_editor(display_name="Élise Éditrice", email="elise@example.org", is_staff=True)
    theme = presented_theme_with_sheet(rui, bruno)

    # Rui turns the presented theme into a contribution: the sheet is the text, Bruno is offered.
    sign_in(page, "rui@example.org", PASSWORD)
    page.goto(f"/themes/{theme.pk}/")
    page.get_by_role("link", name="Turn into a guide contribution").click()
    # The fields are there before the page's scripts have run: typing too early sends nothing.
    page.wait_for_url(re.compile(r"/guide/contribute/"), wait_until="load")
    text = page.get_by_role("textbox", name="Text")
    assert text.input_value().startswith(SHEET_OPENING)
    assert page.get_by_label("Bruno Costa").is_checked()
    # Another co-author is found by name as one types; Bruno stays ticked.
    page.get_by_placeholder("Find a co-author").press_sequentially("carla")
    page.get_by_text("1 member found for “carla”: tick them below.").wait_for()
    assert page.get_by_label("Bruno Costa").is_checked()
    assert not page.get_by_label("Carla Sousa").is_checked()
    submit_from_the_sheet(page, chapter_title=chapter.title, added="\n\n#### In Porto\n\n30 partners came.")
    contribution = Contribution.objects.get()
    assert (contribution.state, contribution.source_theme) == (ContributionState.SUBMITTED, theme)

    # Bruno is asked, and agrees to be credited by name only.
    [invitation] = _mails_to("bruno@example.org")
    bruno_page = new_page()
    sign_in(bruno_page, "bruno@example.org", PASSWORD)
    consent_as_co_author_by_name_only(bruno_page)
    assert list(contribution.coauthors.values_list("member", "credit")) == [(bruno.pk, CoAuthorCredit.NAME_ONLY)]
    # Submitted: the text is the editors' now, not the co-author's to change.
    assert bruno_page.locator(".guide-coauthorships").get_by_role("link", name="Edit").count() == 0

    # The editor is mailed, opens the entry's admin page from the mail and asks for changes there.
    [submitted] = _mails_to("elise@example.org")
    assert "Gamified speed networking" in submitted.subject
    editor_page = new_page()
    sign_in(editor_page, "elise@example.org", PASSWORD)
    editor_page.goto(ADMIN_PATH.search(submitted.body).group(0))
    editor_page.locator("#preview strong", has_text="everyone").wait_for()
    editor_page.locator("#preview h4", has_text="In Porto").wait_for()
    editor_page.get_by_label("Comment for the author(s)").fill("How many partners came back for a second round?")
    editor_page.get_by_role("button", name="Request changes").click()
    editor_page.get_by_text("Request changes: “Gamified speed networking” is now “Changes requested”.").wait_for()
    assert Contribution.objects.get().state == ContributionState.CHANGES_REQUESTED
    assert "How many partners came back" in _mails_to("rui@example.org")[-1].body

    # Bruno, who consented, adds the answer; Rui resubmits.
    bruno_page.goto("/guide/mine/")
    bruno_page.locator(".guide-coauthorships").get_by_role("link", name="Edit").click()
    text = bruno_page.get_by_role("textbox", name="Text")
    text.fill(text.input_value().replace("30 partners came.", "30 partners came; 24 came back."))
    bruno_page.get_by_role("button", name="Save my changes").click()
    bruno_page.get_by_text("Your changes are saved.").wait_for()
    page.goto("/guide/mine/")
    page.get_by_role("button", name="Resubmit").click()
    page.get_by_text("Your contribution was sent to the guide editors.").wait_for()
    resubmitted = _mails_to("elise@example.org")[-1]
    assert len(_mails_to("elise@example.org")) == 2
    assert resubmitted.subject != submitted.subject

    # The editor sees what changed since the review, accepts with a comment and publishes.
    editor_page.goto(ADMIN_PATH.search(resubmitted.body).group(0))
    editor_page.locator("#changes tr.replace td.right", has_text="24 came back").wait_for()
    editor_page.get_by_label("Comment for the author(s)").fill("Thank you both!")
    editor_page.get_by_role("button", name="Accept").click()
    editor_page.get_by_text("Accept: “Gamified speed networking” is now “Accepted”.").wait_for()
    editor_page.get_by_role("button", name="Publish").click()
    editor_page.get_by_text("Publish: “Gamified speed networking” is now “Published”.").wait_for()
    contribution = Contribution.objects.get()
    assert contribution.state == ContributionState.PUBLISHED
    assert list(contribution.transitions.filter(by_editor=True).values_list("to_state", "comment")) == [
        (ContributionState.CHANGES_REQUESTED, "How many partners came back for a second round?"),
        (ContributionState.ACCEPTED, "Thank you both!"),
        (ContributionState.PUBLISHED, ""),
    ]

    # Readers see both, each credited as they chose.
    visitor = new_page()
    visitor.goto("/guide/stimulating-links/")
    visitor.get_by_role("heading", name="Gamified speed networking").wait_for()
    credit = visitor.locator(".guide-credit").inner_text()
    assert credit == "Contributed by Rui Almeida, Cité des métiers de Porto with Bruno Costa"
    assert invitation.subject == "Co-author of “Gamified speed networking” in the guide?"
