"""Themes and questions record the language they are written in; the backlog filters by it."""

import pytest

from themes import services
from themes.enums import ThemeReason
from themes.models import Question, Theme

from .factories import QuestionFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_a_theme_is_in_its_proposers_language_unless_chosen_otherwise(member):
    member.preferred_language = "pt"
    member.save(update_fields=["preferred_language"])

    default = services.theme_propose(proposer=member, title="A", summary="S", reason=ThemeReason.QUESTION)
    chosen = services.theme_propose(proposer=member, title="B", summary="S", reason=ThemeReason.QUESTION, language="es")

    assert sorted(Theme.objects.values_list("title", "language")) == [("A", "pt"), ("B", "es")]
    assert (default.language, chosen.language) == ("pt", "es")


def test_propose_form_offers_the_members_language_and_stores_the_chosen_one(member_client, member):
    member.preferred_language = "fr"
    member.save(update_fields=["preferred_language"])

    page = member_client.get("/themes/new/")
    response = member_client.post(
        "/themes/new/",
        {"title": "Le RGPD", "summary": "Partager des données.", "reason": "question", "topics": "", "language": "pt"},
    )

    assert page.context["form"].initial["language"] == "fr"
    assert response.status_code == 302
    assert Theme.objects.get(title="Le RGPD").language == "pt"


def test_backlog_filters_by_language_and_marks_each_card(member_client):
    ThemeFactory(title="Partilhar dados", language="pt")
    ThemeFactory(title="Sharing data", language="en")

    response = member_client.get("/themes/?language=pt")
    html = response.content.decode()

    assert [theme.title for theme in response.context["page"].object_list] == ["Partilhar dados"]
    assert '<h2 class="h5 card-title" lang="pt">' in html
    assert '<span class="badge text-bg-light border content-language">Portuguese</span>' in html


def test_an_unknown_language_filter_is_refused_politely_not_with_an_error(member_client):
    ThemeFactory(title="Sharing data", language="en")

    response = member_client.get("/themes/?language=xx")

    assert response.status_code == 200


def test_theme_card_shows_the_summary_without_markdown_and_counts_with_plural_forms(member_client):
    ThemeFactory(title="Bold", summary="We **share** data with *care*.")

    html = member_client.get("/themes/").content.decode()

    assert "We share data with care." in html
    assert "**share**" not in html
    assert '<span class="small text-muted interest-count">0 interested</span>' in html


def test_a_question_is_in_its_authors_language_or_the_one_chosen(member_client, member):
    theme = ThemeFactory()

    member_client.post(f"/themes/{theme.pk}/questions/", {"body": "Como?", "language": "pt"})
    member_client.post(f"/themes/{theme.pk}/questions/", {"body": "How?"})

    assert sorted(Question.objects.values_list("body", "language")) == [("Como?", "pt"), ("How?", "en")]


def test_vote_button_has_an_accessible_name_with_the_count(member_client):
    question = QuestionFactory(theme=ThemeFactory())

    html = member_client.get(f"/themes/{question.theme_id}/").content.decode()

    assert 'aria-label="Vote for this question (0 votes)"' in html
