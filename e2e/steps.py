"""Steps several browser journeys share: a presented theme with its experience sheet, the
contribution drafted from it, and the co-author's consent."""

import re

from themes.enums import ThemeState
from themes.models import ExperienceSheet
from themes.tests.factories import ThemeFactory, presenter

SHEET_OPENING = "#### The activity or tool\n\nSix rounds of five minutes between partners."


def presented_theme_with_sheet(*presenters, title: str = "Gamified speed networking"):
    """A theme its presenters led, with the experience sheet they wrote."""
    theme = ThemeFactory(title=title, state=ThemeState.PRESENTED)
    ExperienceSheet.objects.create(
        theme=theme,
        activity="Six rounds of five minutes between partners.",
        strengths="Everyone meets **everyone**.",
        weaknesses="Needs a big room.",
        transferability="Any centre with a bell.",
    )
    for person in presenters:
        presenter(theme, person)
    return theme


def submit_from_the_sheet(page, *, chapter_title: str, added: str) -> None:
    """On the contribution form opened from the theme: the sheet is the text, ``added`` is appended."""
    text = page.get_by_role("textbox", name="Text")
    text.fill(text.input_value() + added)
    page.get_by_label("Kind").select_option(label="Field example of a practice")
    page.get_by_label("Chapter").select_option(label=chapter_title)
    page.get_by_label(re.compile("I agree that this text is published")).check()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Thank you! Your contribution was sent to the guide editors.").wait_for()


def consent_as_co_author_by_name_only(page) -> None:
    """The invited co-author answers from their contributions page."""
    page.goto("/guide/mine/")
    page.get_by_role("link", name="Answer").click()
    page.get_by_label("Credit me by name only").check()
    page.get_by_role("button", name="I agree to be credited as co-author").click()
    page.get_by_text("Thank you: you are credited as co-author, as you chose.").wait_for()
