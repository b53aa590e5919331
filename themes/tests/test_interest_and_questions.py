import pytest
from django.test import Client

from community.tests.factories import UserFactory
from community.tests.factories import facilitator as make_facilitator
from themes import services
from themes.enums import ThemeState
from themes.models import Question, QuestionVote, ThemeInterest
from themes.services import ThemeError
from themes.tests.factories import QuestionFactory, ThemeFactory, presenter

pytestmark = pytest.mark.django_db


def test_interest_is_counted_once_on_double_submit(member_client, member, theme):
    for _ in range(2):
        response = member_client.post(f"/themes/{theme.pk}/interest/", {"interested": "1"})
        assert response.status_code == 302

    assert list(ThemeInterest.objects.filter(theme=theme).values_list("member", flat=True)) == [member.pk]


def test_interest_toggle_with_htmx_returns_the_partial(member_client, member, theme):
    response = member_client.post(f"/themes/{theme.pk}/interest/", {"interested": "1"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<form method="post" action="/themes/{theme.pk}/interest/" id="interest-{theme.pk}"')
    assert "1 interested" in html
    assert 'name="interested" value="0"' in html
    assert ThemeInterest.objects.filter(theme=theme, member=member).count() == 1

    response = member_client.post(f"/themes/{theme.pk}/interest/", {"interested": "0"}, HTTP_HX_REQUEST="true")
    assert "0 interested" in response.content.decode()
    assert ThemeInterest.objects.filter(theme=theme).count() == 0


def test_interest_counts_each_member(theme):
    members = [UserFactory() for _ in range(3)]
    for person in members:
        services.theme_set_interest(theme=theme, member=person, interested=True)
    assert services.theme_set_interest(theme=theme, member=members[0], interested=True) == 3


def test_a_presented_theme_collects_no_more_interest(member):
    theme = ThemeFactory(state=ThemeState.PRESENTED)
    with pytest.raises(ThemeError):
        services.theme_set_interest(theme=theme, member=member, interested=True)
    assert ThemeInterest.objects.count() == 0


def test_member_asks_a_question(member_client, member, theme):
    response = member_client.post(f"/themes/{theme.pk}/questions/", {"body": "  How many partners took part?  "})

    assert response.status_code == 302
    assert list(Question.objects.values_list("theme", "author", "body")) == [
        (theme.pk, member.pk, "How many partners took part?")
    ]


def test_an_empty_question_shows_an_error_on_the_theme_page(member_client, theme):
    response = member_client.post(f"/themes/{theme.pk}/questions/", {"body": ""})
    assert response.status_code == 400
    assert response.context["question_form"].errors == {"body": ["This field is required."]}
    assert Question.objects.count() == 0


def test_up_votes_count_once_and_not_for_the_author(member_client, member, theme):
    question = QuestionFactory(theme=theme)
    for _ in range(2):
        member_client.post(f"/themes/{theme.pk}/questions/{question.pk}/vote/", {"voted": "1"})
    assert list(QuestionVote.objects.values_list("question", "member")) == [(question.pk, member.pk)]

    with pytest.raises(ThemeError):
        services.question_vote(question=question, member=question.author, voted=True)
    assert QuestionVote.objects.count() == 1


def test_vote_with_htmx_returns_the_partial(member_client, theme):
    question = QuestionFactory(theme=theme)
    response = member_client.post(
        f"/themes/{theme.pk}/questions/{question.pk}/vote/", {"voted": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert '<span class="vote-count">1</span>' in response.content.decode()


def test_presenter_marks_a_question_answered_with_a_reply(client, theme):
    role = presenter(theme)
    question = QuestionFactory(theme=theme)
    client.force_login(role.member)

    response = client.post(
        f"/themes/{theme.pk}/questions/{question.pk}/answer/", {"answer": "About twelve.", "answered": "1"}
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.answer, question.answered_by) == ("About twelve.", role.member)
    assert question.answered_at is not None


def test_facilitator_hides_a_question_members_no_longer_see_it(facilitator_client, theme):
    question = QuestionFactory(theme=theme, body="Buy cheap watches")

    facilitator_client.post(f"/themes/{theme.pk}/questions/{question.pk}/hide/", {"hidden": "1"})

    question.refresh_from_db()
    assert question.hidden_at is not None
    client = Client()
    client.force_login(UserFactory())
    assert "Buy cheap watches" not in client.get(f"/themes/{theme.pk}/").content.decode()
    assert "Buy cheap watches" in facilitator_client.get(f"/themes/{theme.pk}/").content.decode()
    assert client.post(f"/themes/{theme.pk}/questions/{question.pk}/vote/", {"voted": "1"}).status_code == 404


def test_a_member_cannot_hide_a_question(theme):
    question = QuestionFactory(theme=theme)
    with pytest.raises(ThemeError):
        services.question_set_hidden(question=question, by=UserFactory(), hidden=True)
    services.question_set_hidden(question=question, by=make_facilitator(), hidden=True)
    assert Question.objects.get(pk=question.pk).hidden_at is not None


def test_the_question_address_by_get_leads_back_to_the_questions(member_client, theme):
    response = member_client.get(f"/themes/{theme.pk}/questions/")

    assert response.status_code == 302
    assert response["Location"] == f"/themes/{theme.pk}/#questions"
    assert Question.objects.count() == 0
    assert member_client.get("/themes/999999/questions/").status_code == 404
