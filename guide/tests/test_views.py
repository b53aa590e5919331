import pytest
from django.urls import reverse

from community.tests.factories import UserFactory
from guide.enums import ContributionKind, ContributionState, Credit
from guide.models import Contribution, ContributionTransition
from meetings.models import Resource

from .factories import ChapterFactory, CommunityOrganisationFactory, ContributionFactory
from .pages import source_meeting, source_theme

pytestmark = pytest.mark.django_db

S = ContributionState
LOGIN = "/accounts/login/?next="
WAITING = "/members/waiting/"


# ---------------------------------------------------------------- permissions


@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", 200), ("pending", 200), ("member", 200), ("facilitator", 200), ("editor", 200)],
)
@pytest.mark.parametrize("name", ["toc", "chapter", "pdf"])
def test_public_pages_answer_everyone(client_for, role, expected, name):
    chapter = ChapterFactory(slug="governance")
    ContributionFactory(chapter=chapter, state=S.PUBLISHED)
    url = reverse(f"guide:{name}", kwargs={"slug": chapter.slug} if name == "chapter" else {})
    assert client_for(role).get(url).status_code == expected


def test_unknown_chapter_answers_404(client):
    assert client.get("/guide/no-such-chapter/").status_code == 404


MEMBER_PAGES = {"visitor": 302, "pending": 302, "member": 200, "facilitator": 200, "editor": 200}


@pytest.mark.parametrize("role", list(MEMBER_PAGES))
@pytest.mark.parametrize(
    ("name", "method"), [("contribute", "get"), ("sources", "get"), ("mine", "get"), ("preview", "post")]
)
def test_member_pages_by_role(client_for, role, name, method):
    client = client_for(role)
    url = reverse(f"guide:{name}")
    response = getattr(client, method)(url, {"body": "*hi*"} if method == "post" else None)
    assert response.status_code == MEMBER_PAGES[role]
    if role == "visitor":
        assert response.url == LOGIN + url
    if role == "pending":
        assert response.url == WAITING


OTHERS_CONTRIBUTION = {"visitor": 302, "pending": 302, "member": 404, "facilitator": 404, "editor": 404}


@pytest.mark.parametrize("role", list(OTHERS_CONTRIBUTION))
@pytest.mark.parametrize(
    ("name", "method", "extra"),
    [("edit", "get", {}), ("edit", "post", {}), ("delete", "post", {}), ("transition", "post", {"action": "submit"})],
)
def test_another_members_contribution_answers_404(client_for, role, name, method, extra):
    contribution = ContributionFactory(state=S.DRAFT)
    client = client_for(role)
    response = getattr(client, method)(reverse(f"guide:{name}", kwargs={"pk": contribution.pk, **extra}))
    assert response.status_code == OTHERS_CONTRIBUTION[role]
    assert Contribution.objects.get().state == S.DRAFT
    assert Contribution.objects.get().version == 1


@pytest.mark.parametrize(("name", "method"), [("delete", "get"), ("transition", "get"), ("preview", "get")])
def test_post_only_pages_refuse_get(member_client, member, name, method):
    contribution = ContributionFactory(author=member)
    kwargs = {} if name == "preview" else {"pk": contribution.pk}
    if name == "transition":
        kwargs["action"] = "submit"
    assert member_client.get(reverse(f"guide:{name}", kwargs=kwargs)).status_code == 405


def test_unknown_author_move_answers_404(member_client, member):
    contribution = ContributionFactory(author=member, state=S.SUBMITTED)
    response = member_client.post(reverse("guide:transition", kwargs={"pk": contribution.pk, "action": "publish"}))
    assert response.status_code == 404
    assert Contribution.objects.get().state == S.SUBMITTED


# ---------------------------------------------------------------- public guide


def test_chapter_shows_only_published_entries_grouped_by_kind(client):
    chapter = ChapterFactory(title="Governance", slug="governance")
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, title="Rotating chairs", kind=ContributionKind.OPERATIONAL)
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, title="Decide, not listen", kind=ContributionKind.STRATEGIC)
    for state in (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.ACCEPTED, S.REJECTED):
        ContributionFactory(chapter=chapter, state=state, title=f"Hidden {state}")

    response = client.get("/guide/governance/")

    assert response.status_code == 200
    assert [(kind, [e.title for e in entries]) for kind, entries in response.context["groups"]] == [
        ("Strategic recommendation", ["Decide, not listen"]),
        ("Operational recommendation", ["Rotating chairs"]),
    ]
    assert "Hidden" not in response.content.decode()


def test_credit_by_name_shows_name_and_centre_anonymous_hides_the_name(client):
    chapter = ChapterFactory(slug="links")
    centre = CommunityOrganisationFactory(name="Cité des métiers de Porto")
    named = UserFactory(display_name="Rui Almeida")
    hidden = UserFactory(display_name="Sofia Secreta")
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, author=named, centre=centre)
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, author=hidden, centre=centre, credit=Credit.ANONYMOUS)

    html = client.get("/guide/links/").content.decode()

    assert "Rui Almeida, Cité des métiers de Porto" in html
    assert "Sofia Secreta" not in html
    assert html.count("a member of the network") == 1


def test_unpublishing_removes_the_entry_from_the_guide(client, editor):
    from guide.services import contribution_transition

    chapter = ChapterFactory(slug="gdpr")
    entry = ContributionFactory(chapter=chapter, state=S.PUBLISHED, title="Minimal visitor record")
    assert "Minimal visitor record" in client.get("/guide/gdpr/").content.decode()

    contribution_transition(contribution=entry, to=S.ACCEPTED, by=editor)

    assert "Minimal visitor record" not in client.get("/guide/gdpr/").content.decode()
    assert client.get("/guide/").context["chapters"].get().published_count == 0


def test_sources_are_linked_for_members_only(client_for):
    meeting = source_meeting()
    theme = source_theme(meeting=meeting)
    chapter = ChapterFactory(slug="links")
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, source_theme=theme, source_meeting=meeting)

    visitor_html = client_for("visitor").get("/guide/links/").content.decode()
    member_html = client_for("member").get("/guide/links/").content.decode()

    assert f'href="/themes/{theme.pk}/"' not in visitor_html
    assert f'href="/meetings/{meeting.pk}/"' not in visitor_html
    assert f'href="/themes/{theme.pk}/"' in member_html
    assert f'href="/meetings/{meeting.pk}/"' in member_html


def test_guide_search_finds_published_entries_only(client):
    chapter = ChapterFactory(slug="valorising")
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, title="Press kit naming every partner")
    ContributionFactory(chapter=chapter, state=S.ACCEPTED, title="Press release drafts")

    response = client.get("/guide/", {"q": "press"})

    assert [e.title for e in response.context["results"]] == ["Press kit naming every partner"]


def test_toc_lists_chapters_with_published_counts(client):
    first = ChapterFactory(title="Building a partnership", order=1)
    second = ChapterFactory(title="Governance", order=2)
    ContributionFactory(chapter=first, state=S.PUBLISHED)
    ContributionFactory(chapter=first, state=S.SUBMITTED)

    response = client.get("/guide/")

    assert [(c.title, c.published_count) for c in response.context["chapters"]] == [
        ("Building a partnership", 1),
        ("Governance", 0),
    ]
    assert second.title in response.content.decode()


def test_script_in_markdown_is_rendered_inert(client):
    chapter = ChapterFactory(slug="inert")
    ContributionFactory(
        chapter=chapter, state=S.PUBLISHED, body='Hello <script>alert("x")</script> [link](javascript:alert(1))'
    )
    html = client.get("/guide/inert/").content.decode()
    assert "<script>alert" not in html
    assert "javascript:alert" not in html


# ---------------------------------------------------------------- query counts


def _count_queries(client, url, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _published(chapter, n, **kwargs):
    meeting = source_meeting()
    theme = source_theme(meeting=meeting)
    resource = Resource.objects.create(meeting=meeting, title="Speed networking cards")
    for i in range(n):
        ContributionFactory(
            chapter=chapter,
            state=S.PUBLISHED,
            kind=list(ContributionKind.values)[i % 5],
            source_theme=theme,
            source_meeting=meeting,
            source_resource=resource,
            **kwargs,
        )


@pytest.mark.parametrize("role", ["visitor", "member"])
def test_chapter_page_query_count_is_constant(client_for, role, django_assert_num_queries):
    client = client_for(role)
    one, ten = ChapterFactory(slug="one"), ChapterFactory(slug="ten")
    _published(one, 1)
    _published(ten, 10)
    # Warm the session and the visitors' cached chapter pages alike.
    client.get("/guide/one/"), client.get("/guide/ten/")
    assert _count_queries(client, "/guide/one/", django_assert_num_queries) == _count_queries(
        client, "/guide/ten/", django_assert_num_queries
    )


def test_toc_and_search_query_count_is_constant(member_client, django_assert_num_queries):
    chapter = ChapterFactory()
    _published(chapter, 1)
    member_client.get("/guide/")
    small = _count_queries(member_client, "/guide/?q=month", django_assert_num_queries)
    small_toc = _count_queries(member_client, "/guide/", django_assert_num_queries)
    for _ in range(9):
        ChapterFactory()
    _published(chapter, 9)
    member_client.get("/guide/")  # the new chapters invalidated the cached contents: warm it again
    assert _count_queries(member_client, "/guide/?q=month", django_assert_num_queries) == small
    assert _count_queries(member_client, "/guide/", django_assert_num_queries) == small_toc


def test_mine_query_count_is_constant(member_client, member, editor, django_assert_num_queries):
    def add():
        c = ContributionFactory(author=member, state=S.CHANGES_REQUESTED)
        ContributionTransition.objects.create(
            contribution=c, from_state=S.IN_REVIEW, to_state=c.state, by=editor, comment="More"
        )

    add()
    member_client.get("/guide/mine/")
    small = _count_queries(member_client, "/guide/mine/", django_assert_num_queries)
    for _ in range(9):
        add()
    assert _count_queries(member_client, "/guide/mine/", django_assert_num_queries) == small
