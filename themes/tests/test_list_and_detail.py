import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.tests.factories import UserFactory
from community.tests.factories import facilitator as make_facilitator
from themes import services
from themes.enums import PresenterStatus, ThemeReason, ThemeState
from themes.models import ExperienceSheet, SheetAttachment, Theme, ThemeTransition
from themes.tests.factories import MeetingFactory, QuestionFactory, ThemeFactory, presenter

pytestmark = pytest.mark.django_db


def _titles(client, query: str = "") -> list[str]:
    response = client.get(f"/themes/{query}")
    assert response.status_code == 200
    return [theme.title for theme in response.context["page"].object_list]


@pytest.fixture
def backlog(member):
    gdpr = services.theme_propose(
        proposer=member,
        title="Respecting GDPR with partners",
        summary="Consent forms and data-sharing agreements.",
        reason=ThemeReason.DIFFICULTY,
        topics=["GDPR", "Data sharing"],
    )
    speed = services.theme_propose(
        proposer=member,
        title="Gamified speed networking",
        summary="Partners meet in short rounds with conversation cards.",
        reason=ThemeReason.INNOVATION,
        topics=["Inter-partner links"],
    )
    report = services.theme_propose(
        proposer=member,
        title="Valorising a partnership",
        summary="A yearly report for each partner, with data and testimonies.",
        reason=ThemeReason.INNOVATION,
        topics=["Partnership valorisation"],
    )
    crm = services.theme_propose(
        proposer=member,
        title="A shared CRM",
        summary="Which tool for partners' data?",
        reason=ThemeReason.QUESTION,
        topics=["Data sharing"],
    )
    services.theme_transition(theme=crm, to=ThemeState.WITHDRAWN, by=member)
    for person in (UserFactory(), UserFactory()):
        services.theme_set_interest(theme=report, member=person, interested=True)
    services.theme_set_interest(theme=speed, member=UserFactory(), interested=True)
    presenter(gdpr), presenter(gdpr)
    presenter(report)
    return {"gdpr": gdpr, "speed": speed, "report": report, "crm": crm}


def test_backlog_default_hides_withdrawn_and_sorts_newest_first(member_client, backlog):
    assert _titles(member_client) == [
        "Valorising a partnership",
        "Gamified speed networking",
        "Respecting GDPR with partners",
    ]


def test_filters_narrow_and_combine(member_client, backlog):
    assert _titles(member_client, "?reason=innovation") == ["Valorising a partnership", "Gamified speed networking"]
    assert _titles(member_client, "?topic=data-sharing") == ["Respecting GDPR with partners"]
    assert _titles(member_client, "?topic=data-sharing&status=all") == [
        "A shared CRM",
        "Respecting GDPR with partners",
    ]
    assert _titles(member_client, "?status=withdrawn") == ["A shared CRM"]
    assert _titles(member_client, "?reason=innovation&q=partner") == [
        "Valorising a partnership",
        "Gamified speed networking",
    ]
    assert _titles(member_client, "?reason=innovation&q=testimonies") == ["Valorising a partnership"]
    assert _titles(member_client, "?reason=difficulty&topic=partnership-valorisation") == []


def test_full_text_search_matches_words_in_summary_and_topics(member_client, backlog):
    assert _titles(member_client, "?q=conversation+cards") == ["Gamified speed networking"]
    assert _titles(member_client, "?q=GDPR") == ["Respecting GDPR with partners"]
    assert _titles(member_client, "?q=valoris") == ["Valorising a partnership"]
    assert _titles(member_client, "?q=nothing+like+this") == []


def test_sorts(member_client, backlog):
    assert _titles(member_client, "?sort=interest") == [
        "Valorising a partnership",
        "Gamified speed networking",
        "Respecting GDPR with partners",
    ]
    # Open themes with fewest presenters first; a theme with its two presenters last.
    assert _titles(member_client, "?sort=presenters") == [
        "Gamified speed networking",
        "Valorising a partnership",
        "Respecting GDPR with partners",
    ]


def test_unknown_parameters_are_ignored_not_an_error(member_client, backlog):
    assert _titles(member_client, "?reason=bogus&status=nope&sort=sideways&page=99") == [
        "Valorising a partnership",
        "Gamified speed networking",
        "Respecting GDPR with partners",
    ]


def test_empty_backlog_invites_a_first_proposal(member_client):
    assert "Propose the first one" in member_client.get("/themes/").content.decode()


def test_backlog_is_paginated(member_client):
    ThemeFactory.create_batch(25)
    response = member_client.get("/themes/?page=2")
    assert len(response.context["page"].object_list) == 5


def test_card_shows_interest_presenters_status_and_meeting(member_client, backlog):
    meeting = MeetingFactory(title="Meeting of May")
    services.theme_transition(theme=backlog["gdpr"], to=ThemeState.SCHEDULED, by=make_facilitator(), meeting=meeting)
    html = member_client.get("/themes/").content.decode()
    assert "Meeting of May" in html
    assert "2 interested" in html
    assert "looking for presenters" in html
    assert "Scheduled" in html


def test_member_proposes_a_theme(member_client, member):
    response = member_client.post(
        "/themes/new/",
        {
            "title": "Partner breakfasts",
            "summary": "An informal monthly breakfast.",
            "reason": "innovation",
            "topics": "Inter-partner links, Events",
            "can_present": "on",
            "pitch": "We run them since 2022.",
        },
    )
    theme = Theme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/themes/{theme.pk}/"
    assert (theme.title, theme.state, theme.proposer, theme.reason) == (
        "Partner breakfasts",
        "proposed",
        member,
        "innovation",
    )
    assert sorted(theme.topics.names()) == ["Events", "Inter-partner links"]
    assert list(theme.presenter_roles.values_list("member", "status", "pitch")) == [
        (member.pk, "volunteered", "We run them since 2022.")
    ]
    assert list(ThemeTransition.objects.values_list("from_state", "to_state", "by")) == [
        ("proposed", "proposed", member.pk)
    ]


def test_proposal_errors_keep_what_was_typed(member_client):
    response = member_client.post("/themes/new/", {"title": "", "summary": "Keep this text", "reason": "nope"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "reason"}
    assert "Keep this text" in response.content.decode()
    assert Theme.objects.count() == 0


def test_topics_do_not_mix_with_other_tags(member):
    from taggit.models import Tag

    services.theme_propose(proposer=member, title="t", summary="s", reason="question", topics=["GDPR"])
    assert Tag.objects.count() == 0


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/themes/").status_code == 200
    return len(queries)


def _make_listed_theme(index: int) -> None:
    meeting = MeetingFactory()
    theme = services.theme_propose(
        proposer=UserFactory(), title=f"Theme {index}", summary="s", reason="innovation", topics=["A", f"T{index}"]
    )
    presenter(theme), presenter(theme, status=PresenterStatus.INVITED)
    services.theme_set_interest(theme=theme, member=UserFactory(), interested=True)
    Theme.objects.filter(pk=theme.pk).update(meeting=meeting, state=ThemeState.SCHEDULED)


def test_backlog_query_count_is_the_same_for_1_and_10_themes(member_client):
    _make_listed_theme(0)
    one = _list_queries(member_client)
    for index in range(1, 10):
        _make_listed_theme(index)
    assert _list_queries(member_client) == one


def _detail_queries(client, theme) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/themes/{theme.pk}/").status_code == 200
    return len(queries)


def test_theme_page_query_count_is_the_same_for_1_and_10_questions_presenters_and_interest(member_client):
    theme = ThemeFactory()
    sheet = ExperienceSheet.objects.create(theme=theme, activity="We did it")
    SheetAttachment.objects.create(sheet=sheet, title="a", url="https://example.org/a")
    presenter(theme)
    QuestionFactory(theme=theme)
    services.theme_set_interest(theme=theme, member=UserFactory(), interested=True)
    ThemeTransition.objects.create(theme=theme, from_state="proposed", to_state="proposed", by=theme.proposer)
    one = _detail_queries(member_client, theme)

    presenter(theme, status=PresenterStatus.VOLUNTEERED)
    for index in range(9):
        QuestionFactory(theme=theme, answered_by=UserFactory() if index % 2 else None)
        services.theme_set_interest(theme=theme, member=UserFactory(), interested=True)
        SheetAttachment.objects.create(sheet=sheet, title=f"b{index}", url="https://example.org/b")
        ThemeTransition.objects.create(theme=theme, from_state="proposed", to_state="proposed", by=UserFactory())
    assert _detail_queries(member_client, theme) == one


def test_history_names_the_meeting_with_french_typography(client):
    member = UserFactory(preferred_language="fr")
    meeting = MeetingFactory(title="Réunion de mai")
    theme = ThemeFactory(state=ThemeState.SCHEDULED, meeting=meeting)
    ThemeTransition.objects.create(
        theme=theme, from_state=ThemeState.PROPOSED, to_state=ThemeState.SCHEDULED, meeting=meeting
    )
    client.force_login(member)

    html = client.get(f"/themes/{theme.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Programmé\u00a0: Réunion de mai" in html  # a no-break space before the colon
