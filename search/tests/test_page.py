"""The search page: who may use it, kinds and counts, pages, bad input, and a flat query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.tests.factories import UserFactory, with_profile
from guide.enums import ContributionState
from guide.tests.factories import ChapterFactory, ContributionFactory
from meetings.tests.factories import MeetingFactory, ResourceFactory
from search.selectors import PAGE_SIZE
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


def _gdpr_rows(n: int) -> None:
    chapter = ChapterFactory(title="Data protection")
    for i in range(n):
        ContributionFactory(chapter=chapter, state=ContributionState.PUBLISHED, title=f"GDPR entry {i}")
        ThemeFactory(title=f"GDPR theme {i}", meeting=MeetingFactory(title=f"Meeting {i}"))
        MeetingFactory(title=f"GDPR meeting {i}")
        ResourceFactory(title=f"GDPR resource {i}")
        with_profile(UserFactory(display_name=f"Member {i}"), expertise=["GDPR"], job_title="Officer")


@pytest.mark.parametrize(
    ("role", "status", "location"),
    [
        ("visitor", 302, "/accounts/login/?next=/search/%3Fq%3Dgdpr"),
        ("pending", 302, "/members/waiting/"),
        ("member", 200, None),
        ("facilitator", 200, None),
        ("editor", 200, None),
    ],
)
def test_search_permissions(client_for, role, status, location):
    response = client_for(role).get("/search/?q=gdpr")

    assert response.status_code == status
    assert response.headers.get("Location") == location


def test_results_are_grouped_by_kind_with_counts(member_client):
    _gdpr_rows(2)

    response = member_client.get(reverse("search"), {"q": "gdpr"})

    assert response.status_code == 200
    assert response.context["counts"] == [
        ("guide", "Guide entries", 2),
        ("themes", "Themes", 2),
        ("meetings", "Meetings", 2),
        ("resources", "Meeting resources", 2),
        ("members", "Members", 2),
    ]
    assert response.context["total"] == 10
    assert [(s.key, [r.title for r in s.results]) for s in response.context["summaries"]] == [
        ("guide", ["GDPR entry 1", "GDPR entry 0"]),
        ("themes", ["GDPR theme 1", "GDPR theme 0"]),
        ("meetings", ["GDPR meeting 1", "GDPR meeting 0"]),
        ("resources", ["GDPR resource 1", "GDPR resource 0"]),
        ("members", ["Member 1", "Member 0"]),
    ]
    html = response.content.decode()
    assert 'href="?q=gdpr&amp;kind=themes"' in html
    assert "<mark>GDPR</mark>" in html
    theme_line = response.context["summaries"][1].results[0]
    assert (theme_line.context, theme_line.context_url) == ("Meeting 1", theme_line.context_url)


def test_the_kind_filter_shows_one_kind_a_page_at_a_time(member_client):
    chapter = ChapterFactory()
    for i in range(PAGE_SIZE + 3):
        ContributionFactory(chapter=chapter, state=ContributionState.PUBLISHED, title=f"Mentoring {i:02}")
    ThemeFactory(title="Mentoring theme")

    first = member_client.get("/search/", {"q": "mentoring", "kind": "guide"})
    second = member_client.get("/search/", {"q": "mentoring", "kind": "guide", "page": "2"})

    assert len(first.context["page"].object_list) == PAGE_SIZE
    assert [r.title for r in second.context["page"].object_list] == ["Mentoring 02", "Mentoring 01", "Mentoring 00"]
    assert {r.kind for r in first.context["page"].object_list} == {"guide"}
    assert 'href="?q=mentoring&amp;kind=guide&amp;page=2"' in first.content.decode()
    assert {k: c for k, _label, c in first.context["counts"]}["themes"] == 1


def test_no_result_suggests_other_words_and_kinds(member_client):
    ThemeFactory(title="Mentoring theme")

    response = member_client.get("/search/", {"q": "mentoring", "kind": "guide"})

    html = response.content.decode()
    assert "Nothing matches “mentoring”." in html
    assert "Try other words, fewer words, or the same word in English or in French." in html
    assert '<a href="?q=mentoring&amp;kind=themes">Themes (1)</a>' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, None),
        ({"q": "a"}, "Type at least two characters."),
        ({"q": "-gdpr"}, "Add a word to look for: a search cannot only leave words out."),
        ({"q": "gdpr", "kind": "nonsense", "page": "x"}, None),
        ({"q": "gdpr", "kind": "guide", "page": "999"}, None),
        ({"q": "\"'<>&|!:*()"}, None),
    ],
)
def test_odd_input_gets_a_clear_answer(member_client, params, message):
    _gdpr_rows(1)

    response = member_client.get("/search/", params)

    assert response.status_code == 200
    if message:
        assert message in response.content.decode()


def test_a_nul_character_is_dropped(member_client):
    _gdpr_rows(1)

    response = member_client.get("/search/?q=GD%00PR&kind=guide")

    assert response.status_code == 200
    assert response.context["query"] == "GDPR"
    assert [r.title for r in response.context["page"].object_list] == ["GDPR entry 0"]


def test_a_very_long_query_is_cut_and_said_so(member_client):
    _gdpr_rows(1)

    response = member_client.get("/search/", {"q": "gdpr " + "x" * 5000})

    assert response.status_code == 200
    assert len(response.context["query"]) == 200
    assert "Only the first 200 characters of the search were used." in response.content.decode()


def test_the_navigation_bar_searches_the_site_for_members_and_the_guide_for_visitors(client, member_client):
    assert 'action="/search/"' in member_client.get("/meetings/").content.decode()
    assert 'action="/guide/"' in client.get("/guide/").content.decode()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", ["/search/?q=gdpr", "/search/?q=gdpr&kind=members", "/search/?q=gdpr&kind=themes"])
def test_query_count_is_the_same_at_1_and_10_rows_per_kind(member_client, url):
    _gdpr_rows(1)
    member_client.get(url)
    one = _count(member_client, url)
    _gdpr_rows(9)

    ten = _count(member_client, url)

    assert one == ten
    assert ten <= 15


def test_the_guide_search_is_public_ranked_and_uses_the_index(client):
    chapter = ChapterFactory(slug="mentoring")
    body_only = ContributionFactory(
        chapter=chapter, state=ContributionState.PUBLISHED, title="Breakfasts", body="Mentoring came up."
    )
    in_title = ContributionFactory(chapter=chapter, state=ContributionState.PUBLISHED, title="Mentoring partners")
    ContributionFactory(chapter=chapter, state=ContributionState.ACCEPTED, title="Mentoring draft")

    response = client.get("/guide/", {"q": "mentor"})

    assert [e.title for e in response.context["results"]] == [in_title.title, body_only.title]
    assert "<mark>Mentoring</mark> came</div>" in response.content.decode()
