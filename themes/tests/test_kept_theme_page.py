"""A theme's page reads the theme and its questions kept per version; each change shows at once."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community.tests.factories import OrganisationFactory, UserFactory
from themes import services
from themes.tests.factories import QuestionFactory, ThemeFactory, presenter

pytestmark = pytest.mark.django_db


def _page(client, theme) -> str:
    response = client.get(f"/themes/{theme.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_view_reads_the_kept_theme_and_questions(viewer):
    theme = ThemeFactory(title="Gamified speed networking")
    theme.topics.set(["Events"])
    presenter(theme, UserFactory(display_name="Rui Almeida"))
    QuestionFactory(theme=theme, body="How many rounds?")
    first = _page(viewer, theme)

    with CaptureQueriesContext(connection) as kept:
        again = _page(viewer, theme)
    # The member's page is kept: the session's user and groups only.
    assert len(kept.captured_queries) == 2
    other = Client()
    other.force_login(UserFactory())
    with CaptureQueriesContext(connection) as read:
        assert "How many rounds?" in other.get(f"/themes/{theme.pk}/").content.decode()
    # Another member's first view: the user, the groups, the theme's counts with their interest,
    # their votes; the theme and its questions come kept.
    assert len(read.captured_queries) == 4
    assert not any("themes_presenterrole" in q["sql"] for q in read.captured_queries)
    for shown in ("Rui Almeida", "Events", "How many rounds?"):
        assert shown in first and shown in again


def test_a_sheet_an_attachment_a_centre_and_a_name_show_at_once(viewer):
    centre = OrganisationFactory(short_name="Centre of Braga")
    rui = UserFactory(display_name="Rui Almeida", organisation=centre)
    theme = ThemeFactory(title="Gamified speed networking")
    presenter(theme, rui)
    _page(viewer, theme)

    services.sheet_update(
        theme=theme, by=rui, activity="Six rounds of six minutes.", strengths="", weaknesses="", transferability=""
    )
    services.sheet_attachment_add(theme=theme, by=rui, title="Round cards", url="https://example.org/cards")
    centre.short_name = "Centre of Braga and Minho"
    centre.save()
    rui.display_name = "Rui A. Almeida"
    rui.save()

    page = _page(viewer, theme)
    for shown in ("Six rounds of six minutes.", "Round cards", "Centre of Braga and Minho", "Rui A. Almeida"):
        assert shown in page, shown


def test_questions_answers_votes_and_hiding_show_at_once(viewer, facilitator):
    rui = UserFactory(display_name="Rui Almeida")
    theme = ThemeFactory(title="Gamified speed networking")
    presenter(theme, rui)
    question = QuestionFactory(theme=theme, body="How many rounds?")
    assert 'class="vote-count">0<' in _page(viewer, theme)

    services.question_vote(question=question, member=viewer.member, voted=True)
    page = _page(viewer, theme)
    assert 'class="vote-count">1<' in page and 'aria-pressed="true"' in page
    other = Client()
    other.force_login(UserFactory())
    assert 'aria-pressed="true"' not in other.get(f"/themes/{theme.pk}/").content.decode()

    services.question_ask(theme=theme, author=UserFactory(), body="Does it work online?")
    services.question_answer(question=question, by=rui, answer="Six.")
    page = _page(viewer, theme)
    assert "Does it work online?" in page and "Six." in page

    services.question_set_hidden(question=question, by=facilitator, hidden=True)
    assert "How many rounds?" not in _page(viewer, theme)
    viewer.force_login(facilitator)
    assert "How many rounds?" in _page(viewer, theme)


def test_the_interest_count_and_the_viewers_interest_are_current(viewer):
    theme = ThemeFactory(title="Gamified speed networking")
    _page(viewer, theme)

    services.theme_set_interest(theme=theme, member=UserFactory(), interested=True)
    services.theme_set_interest(theme=theme, member=viewer.member, interested=True)

    page = _page(viewer, theme)
    assert "2 interested" in page and "✓ I&#x27;m interested" in page


def test_a_missing_theme_answers_404(viewer):
    assert viewer.get("/themes/999999/").status_code == 404
