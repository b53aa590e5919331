"""Interest, questions and votes are offered while the rules allow them, on every page that shows them."""

import pytest

from themes.enums import ThemeState
from themes.models import QuestionVote
from themes.tests.factories import QuestionFactory, ThemeFactory

pytestmark = pytest.mark.django_db

# state -> (interest button, question form, vote button)
OFFERED = {
    ThemeState.PROPOSED: (True, True, True),
    ThemeState.SCHEDULED: (True, True, True),
    ThemeState.PRESENTED: (False, False, False),
    ThemeState.ARCHIVED: (False, False, False),
    ThemeState.DECLINED: (False, False, False),
    ThemeState.WITHDRAWN: (False, False, False),
}


@pytest.mark.parametrize("state", list(OFFERED))
def test_theme_page_offers_interest_questions_and_votes_by_the_rules(member_client, state):
    theme = ThemeFactory(state=state)
    QuestionFactory(theme=theme)

    response = member_client.get(f"/themes/{theme.pk}/")

    context = response.context
    assert (context["can_show_interest"], context["can_ask"], context["can_vote"]) == OFFERED[state]
    html = response.content.decode()
    assert (
        'aria-pressed="false"' in html and "I want to hear this" in html,
        f'action="/themes/{theme.pk}/questions/"' in html,
        'title="Up-vote this question"' in html,
    ) == OFFERED[state]


# Declined and withdrawn themes are not in a member's list.
@pytest.mark.parametrize(
    "state", [ThemeState.PROPOSED, ThemeState.SCHEDULED, ThemeState.PRESENTED, ThemeState.ARCHIVED]
)
def test_theme_list_offers_interest_by_the_rule(member_client, state):
    theme = ThemeFactory(state=state)

    response = member_client.get("/themes/", {"status": state})

    html = response.content.decode()
    form = html[html.index(f'id="interest-{theme.pk}"') :]
    form = form[: form.index("</form>")]
    assert (html.count('class="theme-interest'), "I want to hear this" in form) == (1, OFFERED[state][0])


def test_vote_answer_on_a_presented_theme_shows_the_count_without_a_button(member_client, member):
    theme = ThemeFactory(state=ThemeState.PRESENTED)
    question = QuestionFactory(theme=theme)

    response = member_client.post(
        f"/themes/{theme.pk}/questions/{question.pk}/vote/", {"voted": "1"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert (response.context["can_vote"], "<button" in html) == (False, False)
    assert QuestionVote.objects.count() == 0


def test_vote_on_a_presented_theme_without_htmx_is_refused_with_the_reason(member_client, member):
    theme = ThemeFactory(state=ThemeState.PRESENTED)
    question = QuestionFactory(theme=theme)

    response = member_client.post(f"/themes/{theme.pk}/questions/{question.pk}/vote/", {"voted": "1"})

    assert (response.status_code, response.url) == (302, f"/themes/{theme.pk}/#questions")
    assert [str(m) for m in response.wsgi_request._messages] == ["This theme no longer takes questions."]
    assert QuestionVote.objects.count() == 0
