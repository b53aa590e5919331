from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.tests.factories import UserFactory
from guide.enums import ContributionKind, ContributionState, Credit
from guide.models import Contribution, ContributionTransition
from meetings.enums import MeetingState
from meetings.models import Meeting, Resource
from themes.enums import ThemeReason, ThemeState
from themes.models import Theme

from .factories import ChapterFactory, CommunityOrganisationFactory, ContributionFactory

pytestmark = pytest.mark.django_db

S = ContributionState
LOGIN = "/accounts/login/?next="
WAITING = "/members/waiting/"


def _meeting(**kwargs):
    defaults = {
        "title": "Meeting of March",
        "starts_at": timezone.now() - timedelta(days=30),
        "state": MeetingState.PUBLISHED,
    }
    return Meeting.objects.create(**{**defaults, **kwargs})


def _theme(**kwargs):
    defaults = {
        "title": "Gamified speed networking",
        "summary": "How we made partners meet.",
        "reason": ThemeReason.INNOVATION,
        "state": ThemeState.PRESENTED,
    }
    return Theme.objects.create(**{**defaults, **kwargs})


def _form_data(chapter_obj, **overrides):
    data = {
        "kind": ContributionKind.TESTIMONY,
        "title": "Breakfast with partners",
        "chapter": chapter_obj.pk,
        "body": "Every first Monday, we invite **all partners** to breakfast.",
        "centre": "",
        "source_theme": "",
        "source_meeting": "",
        "source_resource": "",
        "credit": Credit.NAME,
        "licence_consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


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
    meeting = _meeting()
    theme = _theme(meeting=meeting)
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
    meeting = _meeting()
    theme = _theme(meeting=meeting)
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


# ---------------------------------------------------------------- contributing


def test_member_submits_a_contribution(member_client, member):
    chapter = ChapterFactory()
    centre = CommunityOrganisationFactory()

    response = member_client.post("/guide/contribute/", _form_data(chapter, centre=centre.pk, submit="1"))

    assert response.status_code == 302
    assert response.url == "/guide/mine/"
    contribution = Contribution.objects.get()
    assert (contribution.author, contribution.state, contribution.title, contribution.centre, contribution.version) == (
        member,
        S.SUBMITTED,
        "Breakfast with partners",
        centre,
        1,
    )
    assert list(contribution.transitions.values_list("from_state", "to_state", "by")) == [
        (S.DRAFT, S.SUBMITTED, member.pk)
    ]
    assert contribution.history.count() == 2


def test_member_saves_a_draft(member_client, member):
    chapter = ChapterFactory()
    member_client.post("/guide/contribute/", _form_data(chapter, credit=Credit.ANONYMOUS, save="1"))
    contribution = Contribution.objects.get()
    assert (contribution.state, contribution.credit) == (S.DRAFT, Credit.ANONYMOUS)
    assert contribution.transitions.count() == 0


def test_contribute_prefills_centre_and_sources(client, member):
    centre = CommunityOrganisationFactory()
    member.organisation = centre
    member.save()
    client.force_login(member)
    meeting = _meeting()
    theme = _theme(meeting=meeting)
    resource = Resource.objects.create(meeting=meeting, title="Prompt cards")

    by_theme = client.get(f"/guide/contribute/?theme={theme.pk}").context["form"]
    by_resource = client.get(f"/guide/contribute/?resource={resource.pk}").context["form"]
    by_meeting = client.get(f"/guide/contribute/?meeting={meeting.pk}").context["form"]
    nonsense = client.get("/guide/contribute/?theme=abc&meeting=999999").context["form"]

    assert (by_theme.initial["source_theme"], by_theme.initial["source_meeting"], by_theme.initial["title"]) == (
        theme,
        meeting.pk,
        theme.title,
    )
    assert (by_resource.initial["source_resource"], by_resource.initial["source_meeting"]) == (resource, meeting.pk)
    assert by_meeting.initial["source_meeting"] == meeting
    assert nonsense.initial == {"centre": centre.pk, "language": "en"}


def test_contribution_with_sources_is_saved_with_them(member_client):
    chapter = ChapterFactory()
    meeting = _meeting()
    theme = _theme(meeting=meeting)
    resource = Resource.objects.create(meeting=meeting, title="Prompt cards")
    member_client.post(
        "/guide/contribute/",
        _form_data(chapter, source_theme=theme.pk, source_meeting=meeting.pk, source_resource=resource.pk, save="1"),
    )
    contribution = Contribution.objects.get()
    assert (contribution.source_theme, contribution.source_meeting, contribution.source_resource) == (
        theme,
        meeting,
        resource,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"body": "   "}, "body", "Write the text of your contribution."),
        ({"body": None}, "body", "Write the text of your contribution."),
        (
            {"licence_consent": None},
            "licence_consent",
            "The guide can only publish texts whose authors agree to its licence.",
        ),
        ({"chapter": "999999"}, "chapter", "Select a valid choice. That choice is not one of the available choices."),
        ({"kind": "poem"}, "kind", "Select a valid choice. poem is not one of the available choices."),
        ({"body": "x" * 20_001}, "body", "Ensure this value has at most 20000 characters (it has 20001)."),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_kept(member_client, overrides, field, message):
    chapter = ChapterFactory()
    response = member_client.post("/guide/contribute/", _form_data(chapter, submit="1", **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert 'value="Breakfast with partners"' in response.content.decode()
    assert Contribution.objects.count() == 0


def test_a_draft_may_wait_for_the_licence_consent_but_not_its_submission(member_client, member):
    chapter = ChapterFactory()

    response = member_client.post("/guide/contribute/", _form_data(chapter, licence_consent=None, save="1"))

    assert response.status_code == 302
    draft = Contribution.objects.get()
    assert (draft.state, draft.licence_consent, draft.author) == (S.DRAFT, False, member)

    response = member_client.post(f"/guide/mine/{draft.pk}/submit/", follow=True)

    assert "cannot go to the editors yet: edit it and agree to the guide&#x27;s licence." in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == S.DRAFT
    assert draft.transitions.count() == 0

    response = member_client.post(
        f"/guide/mine/{draft.pk}/edit/", _form_data(chapter, licence_consent=None, version=draft.version, submit="1")
    )
    assert response.context["form"].errors["licence_consent"] == [
        "The guide can only publish texts whose authors agree to its licence."
    ]
    draft.refresh_from_db()
    assert draft.state == S.DRAFT

    member_client.post(f"/guide/mine/{draft.pk}/edit/", _form_data(chapter, version=draft.version, submit="1"))
    draft.refresh_from_db()
    assert (draft.state, draft.licence_consent) == (S.SUBMITTED, True)


def test_preview_renders_markdown_and_strips_scripts(member_client):
    response = member_client.post("/guide/preview/", {"body": "**bold** <script>alert(1)</script>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html


# ---------------------------------------------------------------- my contributions


def test_mine_lists_my_contributions_with_states_and_editors_comments(member_client, member, editor):
    mine = ContributionFactory(author=member, state=S.CHANGES_REQUESTED, title="Cross-visits")
    ContributionTransition.objects.create(
        contribution=mine, from_state=S.IN_REVIEW, to_state=S.CHANGES_REQUESTED, by=editor, comment="Add a figure."
    )
    ContributionFactory(title="Someone else's")

    response = member_client.get("/guide/mine/")
    html = response.content.decode()

    assert [c.title for c in response.context["page"]] == ["Cross-visits"]
    assert "Changes requested" in html
    assert "Add a figure." in html
    assert reverse("guide:edit", kwargs={"pk": mine.pk}) in html


def test_mine_names_the_zone_of_the_editors_comment_time(member_client, member, editor):
    from datetime import UTC, datetime

    member.time_zone = "America/Montreal"
    member.save(update_fields=["time_zone"])
    mine = ContributionFactory(author=member, state=S.CHANGES_REQUESTED)
    step = ContributionTransition.objects.create(
        contribution=mine, from_state=S.IN_REVIEW, to_state=S.CHANGES_REQUESTED, by=editor, comment="Add a figure."
    )
    ContributionTransition.objects.filter(pk=step.pk).update(at=datetime(2026, 3, 2, 15, 30, tzinfo=UTC))

    html = member_client.get("/guide/mine/").content.decode()

    assert "· 2 March 2026, 10:30 (America/Montreal)</footer>" in html


def test_author_revises_and_resubmits(member_client, member):
    contribution = ContributionFactory(author=member, state=S.CHANGES_REQUESTED)
    chapter = contribution.chapter

    response = member_client.post(
        f"/guide/mine/{contribution.pk}/edit/",
        _form_data(chapter, title="Revised title", version=str(contribution.version), submit="1"),
    )

    assert response.status_code == 302
    contribution.refresh_from_db()
    assert (contribution.title, contribution.state, contribution.version) == ("Revised title", S.SUBMITTED, 2)
    assert list(contribution.transitions.values_list("from_state", "to_state")) == [(S.CHANGES_REQUESTED, S.SUBMITTED)]


@pytest.mark.parametrize("state", [S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED, S.PUBLISHED, S.REJECTED])
def test_author_cannot_edit_once_out_of_their_hands(member_client, member, state):
    contribution = ContributionFactory(author=member, state=state, title="Original")
    url = f"/guide/mine/{contribution.pk}/edit/"

    assert member_client.get(url).url == "/guide/mine/"
    response = member_client.post(url, _form_data(contribution.chapter, title="Changed", version="1", save="1"))

    assert response.status_code == 302
    contribution.refresh_from_db()
    assert (contribution.title, contribution.state, contribution.version) == ("Original", state, 1)


def test_author_edit_from_an_outdated_page_is_refused(member_client, member):
    contribution = ContributionFactory(author=member, state=S.DRAFT, title="Original", version=3)

    response = member_client.post(
        f"/guide/mine/{contribution.pk}/edit/",
        _form_data(contribution.chapter, title="From old tab", version="2", save="1"),
    )

    assert response.status_code == 200
    assert "changed in the meantime" in response.context["form"].non_field_errors()[0]
    assert 'value="From old tab"' in response.content.decode()
    contribution.refresh_from_db()
    assert (contribution.title, contribution.version) == ("Original", 3)


def test_author_withdraws_and_deletes_a_draft(member_client, member):
    contribution = ContributionFactory(author=member, state=S.SUBMITTED)

    member_client.post(f"/guide/mine/{contribution.pk}/withdraw/")
    contribution.refresh_from_db()
    assert contribution.state == S.DRAFT

    member_client.post(f"/guide/mine/{contribution.pk}/delete/")
    assert Contribution.objects.count() == 0
    assert Contribution.history.count() == 0


def test_deleting_a_submitted_contribution_is_refused(member_client, member):
    contribution = ContributionFactory(author=member, state=S.SUBMITTED)
    response = member_client.post(f"/guide/mine/{contribution.pk}/delete/", follow=True)
    assert "Only a draft can be deleted." in response.content.decode()
    assert Contribution.objects.get().state == S.SUBMITTED


def test_guide_search_pages_keep_the_whole_query_in_their_links(client):
    chapter = ChapterFactory()
    ContributionFactory.create_batch(31, chapter=chapter, state=S.PUBLISHED, title="Q&A #1 with partners")

    response = client.get("/guide/", {"q": "Q&A #1"})
    html = response.content.decode()

    assert len(response.context["results"].object_list) == 30
    assert 'href="?page=2&amp;q=Q%26A%20%231"' in html
    assert len(client.get("/guide/", {"q": "Q&A #1", "page": "2"}).context["results"].object_list) == 1
