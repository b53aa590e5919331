"""The community's rhythm in one browser journey, as its people live it:

a facilitator publishes a meeting and the members are announced it; a member answers and joins;
after the meeting the minutes go out with an action she owns and ticks done; a presenter drafts a
guide contribution from the experience sheet with the co-presenter as co-author; an editor, told
by mail, reviews it on its admin page and publishes it, credited to both; and a newcomer, approved
and paired with a buddy, watches her first-steps checklist tick itself.
"""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from community.models import BuddyPairing, User
from community.tests import factories
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
from meetings.models import ActionItem, Meeting
from meetings.tests.factories import AgendaItemFactory, MeetingFactory, draft_meeting
from themes.enums import ThemeState
from themes.tests.factories import ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]

PASSWORD = "a-long-test-password"
ROOM = "https://meet.example.org/spring-room"
ADMIN_PATH = re.compile(r"/admin/guide/contribution/\d+/change/")


def _mails_to(email: str) -> list:
    return [m for m in mail.outbox if m.to == [email]]


def _clock_moves_to(meeting, starts_in: timedelta) -> None:
    """Time passes: the meeting is now ``starts_in`` away (negative: under way or over).

    Moved by a save: a page kept until the meeting's next moment (its link opening, its start, its
    end) cannot tell this faked clock from the real one, so the move is written as a change would
    be (the real clock's expiry is tested in ``portal/tests/test_kept_dashboard.py``)."""
    moved = Meeting.objects.get(pk=meeting.pk)
    moved.starts_at = timezone.now() + starts_in
    moved.save(update_fields=["starts_at"])


def _step(page, key: str):
    return page.locator(f"#first-step-{key}")


def test_a_meeting_announced_joined_followed_up_bridged_to_the_guide_and_a_newcomer_welcomed(page, new_page):
    # The people: a facilitator, a guide editor, two presenters of two centres, a member, a newcomer.
    host = factories.facilitator(display_name="Fatou Diallo", email="fatou@example.org", meeting_news_frequency="never")
    factories.guide_editor(display_name="Élise Éditrice", email="elise@example.org", is_staff=True)
    rui = factories.UserFactory(
        display_name="Rui Almeida", email="rui@example.org", organisation=CommunityOrganisationFactory(name="Porto")
    )
    bruno = factories.UserFactory(
        display_name="Bruno Costa", email="bruno@example.org", organisation=CommunityOrganisationFactory(name="Lisboa")
    )
    mariana = factories.with_profile(
        factories.UserFactory(display_name="Mariana Costa", email="mariana@example.org", time_zone="Europe/Lisbon"),
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
    factories.with_profile(
        factories.UserFactory(display_name="Pedro Faraway", preferred_language="es"), country="ES", languages=["es"]
    )
    chapter = ChapterFactory(title="Stimulating links between partners", slug="stimulating-links")
    ChapterFactory(slug="onboarding-new-colleagues", title="Onboarding new colleagues")
    theme = presented_theme_with_sheet(rui, bruno)
    ThemeFactory(title="Job dating with partners", state=ThemeState.PROPOSED)
    meeting = draft_meeting(
        title="Spring meeting", starts_at=timezone.now() + timedelta(hours=3), online_url=ROOM, created_by=host
    )
    AgendaItemFactory(meeting=meeting, title="Partners' day", position=0)
    MeetingFactory(title="Summer meeting", starts_at=timezone.now() + timedelta(days=60))

    # 1. The facilitator publishes: Mariana is announced the meeting, in her zone, with her answers.
    sign_in(page, host.email, PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("The meeting is published").wait_for()
    [announcement] = _mails_to(mariana.email)
    assert announcement.subject == "New meeting: Spring meeting"
    assert "/going/" in announcement.body and "(Europe/Lisbon)" in announcement.body
    assert [name for name, _content, _type in announcement.attachments] == ["meeting.ics"]
    assert len(_mails_to(rui.email)) == 1 and _mails_to(nina.email) == []  # members only

    # 2. Mariana answers from her dashboard; the Join button shows 15 minutes before the start.
    member = new_page()
    sign_in(member, mariana.email, PASSWORD)
    member.goto("/")
    member.locator(".meeting-panel").get_by_role("button", name="Going", exact=True).click()
    member.get_by_text("You are going. See you there!").wait_for()
    assert member.get_by_role("link", name="Join the meeting").count() == 0
    _clock_moves_to(meeting, timedelta(minutes=14))
    member.goto("/")
    assert member.locator(".meeting-panel").get_by_role("link", name="Join the meeting").get_attribute("href") == ROOM
    member.goto(f"/meetings/{meeting.pk}/")
    assert member.get_by_role("link", name="Join the meeting").get_attribute("href") == ROOM

    # 3. After the meeting: minutes and an action owned by Mariana, due in a week, mailed once.
    _clock_moves_to(meeting, -timedelta(hours=3))
    mail.outbox.clear()
    due = date.today() + timedelta(days=7)
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    page.get_by_label("Minutes").first.fill("We chose **one date** for the partners' day.")
    page.get_by_label("Action", exact=True).first.fill("Send the partners' survey")
    page.get_by_label("Owner").first.select_option(label="Mariana Costa")
    page.get_by_label("Due date").first.fill(due.isoformat())
    page.get_by_role("button", name="Save and publish").click()
    page.get_by_text("Minutes saved and published.").wait_for()
    [summary] = _mails_to(mariana.email)
    assert summary.subject == "After the meeting: Spring meeting"
    assert "Send the partners' survey — Mariana Costa" in summary.body
    assert "We chose **one date** for the partners' day." in summary.body

    # ... she finds it on her dashboard and ticks it done.
    member.goto("/")
    panel = member.locator(".actions-panel")
    panel.get_by_text("Send the partners' survey").wait_for()
    panel.get_by_role("button", name=re.compile("Tick .Send the partners' survey. done")).click()
    member.get_by_text("Action ticked done.").wait_for()
    action = ActionItem.objects.get()
    assert (action.owner, action.due_on, action.done_by, action.done_at is not None) == (mariana, due, mariana, True)

    # 4. Rui turns the presented theme into a contribution: the sheet is the text, Bruno is offered.
    presenter_page = new_page()
    sign_in(presenter_page, rui.email, PASSWORD)
    presenter_page.goto(f"/themes/{theme.pk}/")
    presenter_page.get_by_role("link", name="Turn into a guide contribution").click()
    text = presenter_page.get_by_role("textbox", name="Text")
    assert text.input_value().startswith(SHEET_OPENING)
    assert presenter_page.get_by_label("Bruno Costa").is_checked()
    submit_from_the_sheet(presenter_page, chapter_title=chapter.title, added="\n\n#### In Porto\n\n30 partners came.")

    # ... Bruno is asked, and agrees to be credited by name only.
    [invitation] = _mails_to(bruno.email)
    assert invitation.subject == "Co-author of “Gamified speed networking” in the guide?"
    co_author = new_page()
    sign_in(co_author, bruno.email, PASSWORD)
    consent_as_co_author_by_name_only(co_author)

    # 5. The editor is mailed, opens the entry's admin page from the mail, reads it and publishes it.
    [submitted] = _mails_to("elise@example.org")
    assert "Gamified speed networking" in submitted.subject
    editor = new_page()
    sign_in(editor, "elise@example.org", PASSWORD)
    editor.goto(ADMIN_PATH.search(submitted.body).group(0))
    editor.locator("#preview strong", has_text="everyone").wait_for()
    editor.locator("#preview h4", has_text="In Porto").wait_for()
    editor.get_by_label("Comment for the author(s)").fill("A practice every centre can try: thank you both!")
    editor.get_by_role("button", name="Accept").click()
    editor.get_by_text("Accept: “Gamified speed networking” is now “Accepted”.").wait_for()
    editor.get_by_role("button", name="Publish").click()
    editor.get_by_text("Publish: “Gamified speed networking” is now “Published”.").wait_for()
    contribution = Contribution.objects.get()
    assert (contribution.state, contribution.source_theme) == (ContributionState.PUBLISHED, theme)
    assert list(contribution.coauthors.values_list("member", "credit")) == [(bruno.pk, CoAuthorCredit.NAME_ONLY)]
    assert any("thank you both!" in m.body for m in _mails_to(rui.email))

    # ... readers see it at once, credited to both as each chose.
    visitor = new_page()
    visitor.goto("/guide/stimulating-links/")
    visitor.get_by_role("heading", name="Gamified speed networking").wait_for()
    assert visitor.locator(".guide-credit").inner_text() == "Contributed by Rui Almeida, Porto with Bruno Costa"

    # 6. A newcomer: approved, paired with Mariana (same language and country), introduced by mail.
    mail.outbox.clear()
    page.goto("/members/pending/")
    page.locator("article", has_text="Nina Newcomer").get_by_role("button", name="Approve Nina Newcomer").click()
    page.get_by_text("Nina Newcomer is now a member. An email tells them so.").wait_for()
    [approval] = _mails_to(nina.email)
    assert "/guide/onboarding-new-colleagues/" in approval.body
    page.get_by_role("link", name="Pair Nina Newcomer with a buddy").click()
    assert page.locator(".buddy-choice label").first.inner_text().startswith("Mariana Costa")
    assert page.get_by_text("Pedro Faraway").count() == 0  # shares neither language nor country
    page.get_by_label(re.compile("^Mariana Costa")).check()
    page.get_by_role("button", name="Pair them").click()
    page.get_by_text("Mariana Costa is now the buddy of Nina Newcomer.").wait_for()
    assert page.locator("#profile-buddy").inner_text() == "Mariana Costa"
    assert list(BuddyPairing.objects.values_list("newcomer_id", "buddy_id")) == [(nina.pk, mariana.pk)]
    assert len(_mails_to(nina.email)) == 2 and len(_mails_to(mariana.email)) == 1

    # ... her checklist starts empty and ticks itself as she goes.
    newcomer = new_page()
    sign_in(newcomer, nina.email, PASSWORD)
    newcomer.get_by_role("heading", name="Your first steps").wait_for()
    assert newcomer.get_by_text("Your buddy: Mariana Costa.").is_visible()
    steps = ("profile", "meeting", "onboarding", "theme")
    assert [_step(newcomer, key).get_attribute("data-done") for key in steps] == ["false"] * 4

    _step(newcomer, "profile").get_by_role("link").click()
    newcomer.get_by_label("Areas of expertise").fill("Employer engagement, Events")
    newcomer.get_by_label("Short bio").fill("I look after our partnerships with local employers.")
    newcomer.get_by_role("button", name="Save my profile").click()
    newcomer.get_by_text("Your profile is saved.").wait_for()
    newcomer.goto("/")
    newcomer.get_by_text("1 of 4 done.", exact=False).wait_for()

    newcomer.locator(".meeting-panel").get_by_role("button", name="Going", exact=True).click()
    newcomer.get_by_text("2 of 4 done.", exact=False).wait_for()
    assert newcomer.locator(".meeting-panel", has_text="Summer meeting").count() == 1

    _step(newcomer, "onboarding").get_by_role("link").click()
    newcomer.get_by_role("heading", name="Onboarding new colleagues").first.wait_for()
    newcomer.goto("/")
    newcomer.get_by_text("3 of 4 done.", exact=False).wait_for()

    _step(newcomer, "theme").get_by_role("link").click()
    newcomer.get_by_role("button", name="I want to hear this").first.click()
    newcomer.get_by_role("button", name="✓ I'm interested").first.wait_for()
    newcomer.goto("/")
    newcomer.locator(".meeting-panel").wait_for()
    assert newcomer.locator(".first-steps-panel").count() == 0  # every step done: the checklist goes
    assert User.objects.get(pk=nina.pk).onboarding_read_at is not None
