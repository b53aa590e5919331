import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.tests.factories import UserFactory
from guide.enums import ContributionState
from guide.models import Contribution, ContributionTransition

from .factories import ChapterFactory, ContributionFactory

pytestmark = pytest.mark.django_db

S = ContributionState
CHANGELIST = reverse("admin:guide_contribution_changelist")


def _change_data(contribution, **overrides):
    data = {
        "title": contribution.title,
        "kind": contribution.kind,
        "chapter": contribution.chapter_id,
        "order": contribution.order,
        "body": contribution.body,
        "version": contribution.version,
        "centre": contribution.centre_id or "",
        "credit": contribution.credit,
        "source_theme": "",
        "source_meeting": "",
        "source_resource": "",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
        "transitions-MIN_NUM_FORMS": "0",
        "transitions-MAX_NUM_FORMS": "0",
        "coauthors-TOTAL_FORMS": "0",
        "coauthors-INITIAL_FORMS": "0",
        "coauthors-MIN_NUM_FORMS": "0",
        "coauthors-MAX_NUM_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("who", "expected"), [("staff_editor", 200), ("staff_without_group", 403), ("member", 302), ("visitor", 302)]
)
def test_guide_editors_reach_the_contribution_changelist(client, staff_editor, who, expected):
    user = {
        "staff_editor": staff_editor,
        "staff_without_group": UserFactory(is_staff=True),
        "member": UserFactory(),
        "visitor": None,
    }[who]
    if user:
        client.force_login(user)
    assert client.get(CHANGELIST).status_code == expected
    assert client.get(reverse("admin:guide_chapter_changelist")).status_code == expected


def test_changelist_filters_and_search(editor_admin):
    governance = ChapterFactory(title="Governance")
    ContributionFactory(state=S.SUBMITTED, title="Rotating chairs", chapter=governance)
    ContributionFactory(state=S.PUBLISHED, title="Rotating partners")
    ContributionFactory(state=S.SUBMITTED, title="Breakfasts")

    by_state = editor_admin.get(CHANGELIST, {"state__exact": S.SUBMITTED, "q": "rotating"})
    by_chapter = editor_admin.get(CHANGELIST, {"chapter__id__exact": governance.pk})

    assert [c.title for c in by_state.context["cl"].result_list] == ["Rotating chairs"]
    assert [c.title for c in by_chapter.context["cl"].result_list] == ["Rotating chairs"]
    assert {f.title for f in by_state.context["cl"].filter_specs} == {"state", "kind", "language", "chapter", "centre"}


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_changelist_query_count_is_constant(editor_admin):
    chapter = ChapterFactory()
    ContributionFactory(chapter=chapter, state=S.SUBMITTED)
    editor_admin.get(CHANGELIST)
    one = _count(editor_admin, CHANGELIST)
    ContributionFactory.create_batch(9, chapter=chapter, state=S.SUBMITTED)
    assert _count(editor_admin, CHANGELIST) == one


def test_chapter_change_page_shows_entries_in_order_with_constant_queries(editor_admin):
    chapter = ChapterFactory()
    ContributionFactory(chapter=chapter, order=2, title="Second")
    ContributionFactory(chapter=chapter, order=1, title="First")
    url = reverse("admin:guide_chapter_change", args=[chapter.pk])

    response = editor_admin.get(url)
    html = response.content.decode()
    assert html.index("First") < html.index("Second")

    two = _count(editor_admin, url)
    ContributionFactory.create_batch(8, chapter=chapter)
    assert _count(editor_admin, url) == two


def _run_action(client, action, contributions, comment="", apply=True):
    data = {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in contributions], "comment": comment}
    if apply:
        data["apply"] = "1"
    return client.post(CHANGELIST, data, follow=True)


def test_action_shows_an_intermediate_page_asking_for_a_comment(editor_admin):
    contribution = ContributionFactory(state=S.IN_REVIEW, title="Cross-visits")

    response = _run_action(editor_admin, "request_changes", [contribution], apply=False)

    assert response.status_code == 200
    assert response.templates[0].name == "admin/guide/contribution/transition.html"
    assert "Cross-visits" in response.content.decode()
    assert Contribution.objects.get().state == S.IN_REVIEW


def test_request_changes_without_comment_is_refused_on_the_intermediate_page(editor_admin):
    contribution = ContributionFactory(state=S.IN_REVIEW)

    response = _run_action(editor_admin, "request_changes", [contribution], comment="  ")

    assert response.context["form"].errors["comment"] == ["Please explain why, in a comment for the author."]
    assert Contribution.objects.get().state == S.IN_REVIEW


def test_action_on_a_mixed_selection_applies_valid_moves_and_reports_the_others(
    editor_admin, staff_editor, django_capture_on_commit_callbacks
):
    accepted = ContributionFactory(state=S.ACCEPTED, title="Ready")
    also_accepted = ContributionFactory(state=S.ACCEPTED, title="Also ready")
    draft = ContributionFactory(state=S.DRAFT, title="Still a draft")
    published = ContributionFactory(state=S.PUBLISHED, title="Already out")

    with django_capture_on_commit_callbacks(execute=True):
        response = _run_action(editor_admin, "publish", [accepted, also_accepted, draft, published], comment="Welcome!")

    states = dict(Contribution.objects.values_list("title", "state"))
    assert states == {
        "Ready": S.PUBLISHED,
        "Also ready": S.PUBLISHED,
        "Still a draft": S.DRAFT,
        "Already out": S.PUBLISHED,
    }
    assert list(
        ContributionTransition.objects.order_by("contribution_id").values_list("contribution__title", "by", "comment")
    ) == [
        ("Ready", staff_editor.pk, "Welcome!"),
        ("Also ready", staff_editor.pk, "Welcome!"),
    ]
    notes = [str(m) for m in response.context["messages"]]
    assert notes == [
        "Publish: 2 contributions done.",
        "“Still a draft” cannot go from “Draft” to “Published”.",
        "“Already out” cannot go from “Published” to “Published”.",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([accepted.author.email, also_accepted.author.email])


def test_accept_action_never_unpublishes(editor_admin):
    published = ContributionFactory(state=S.PUBLISHED, title="Out")
    _run_action(editor_admin, "accept", [published])
    assert Contribution.objects.get().state == S.PUBLISHED
    assert ContributionTransition.objects.count() == 0


def test_unpublish_action(editor_admin):
    published = ContributionFactory(state=S.PUBLISHED)
    _run_action(editor_admin, "unpublish", [published], comment="Outdated figures")
    assert Contribution.objects.get().state == S.ACCEPTED
    assert ContributionTransition.objects.get().comment == "Outdated figures"


def test_editor_edits_an_entry_and_the_version_grows(editor_admin):
    contribution = ContributionFactory(state=S.IN_REVIEW, body="Old text")
    url = reverse("admin:guide_contribution_change", args=[contribution.pk])

    response = editor_admin.post(url, _change_data(contribution, body="Edited text"))

    assert response.status_code == 302
    contribution.refresh_from_db()
    assert (contribution.body, contribution.version, contribution.state) == ("Edited text", 2, S.IN_REVIEW)


def test_stale_edit_by_a_second_editor_is_refused(editor_admin, staff_editor):
    contribution = ContributionFactory(state=S.IN_REVIEW, body="Original")
    url = reverse("admin:guide_contribution_change", args=[contribution.pk])
    other = Client()
    other.force_login(UserFactory(is_staff=True, groups=["Guide editors"]))
    form_of_first = _change_data(contribution, body="First editor's text")
    form_of_second = _change_data(contribution, body="Second editor's text")

    assert other.post(url, form_of_second).status_code == 302
    response = editor_admin.post(url, form_of_first)

    assert response.status_code == 200
    assert "Another editor changed this entry" in response.content.decode()
    contribution.refresh_from_db()
    assert (contribution.body, contribution.version) == ("Second editor's text", 2)


def test_reordering_in_the_chapter_makes_an_open_edit_of_the_entry_stale(editor_admin):
    chapter = ChapterFactory()
    entry = ContributionFactory(chapter=chapter, order=3, state=S.PUBLISHED, body="Text")
    opened_before = _change_data(entry, body="Text, polished")
    chapter_url = reverse("admin:guide_chapter_change", args=[chapter.pk])

    response = editor_admin.post(
        chapter_url,
        {
            "title": chapter.title,
            "slug": chapter.slug,
            "introduction": chapter.introduction,
            "order": chapter.order,
            "contributions-TOTAL_FORMS": "1",
            "contributions-INITIAL_FORMS": "1",
            "contributions-MIN_NUM_FORMS": "0",
            "contributions-MAX_NUM_FORMS": "1000",
            "contributions-0-id": entry.pk,
            "contributions-0-chapter": chapter.pk,
            "contributions-0-order": "1",
            "translations-TOTAL_FORMS": "0",
            "translations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.order, entry.version, entry.body) == (1, 2, "Text")

    response = editor_admin.post(reverse("admin:guide_contribution_change", args=[entry.pk]), opened_before)

    assert response.status_code == 200
    assert "Another editor changed this entry" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.order, entry.version, entry.body) == (1, 2, "Text")


def test_state_cannot_be_changed_through_the_change_form(editor_admin):
    contribution = ContributionFactory(state=S.SUBMITTED)
    url = reverse("admin:guide_contribution_change", args=[contribution.pk])
    editor_admin.post(url, _change_data(contribution, state=S.PUBLISHED))
    assert Contribution.objects.get().state == S.SUBMITTED


def test_changes_view_compares_with_the_text_at_the_last_review(editor_admin, staff_editor):
    from guide.services import contribution_transition, contribution_update

    contribution = ContributionFactory(state=S.IN_REVIEW, body="line one\nline two\nline three")
    contribution_transition(contribution=contribution, to=S.CHANGES_REQUESTED, by=staff_editor, comment="Line two?")
    contribution_update(
        contribution=contribution,
        by=contribution.author,
        version=1,
        body="line one\nline 2, with a figure\nline three\nline four",
    )
    contribution_transition(contribution=contribution, to=S.SUBMITTED, by=contribution.author)
    contribution_transition(contribution=contribution, to=S.IN_REVIEW, by=staff_editor)

    response = editor_admin.get(reverse("admin:guide_contribution_changes", args=[contribution.pk]))

    assert response.status_code == 200
    rows = [(r.tag, r.left, r.right) for r in response.context["rows"]]
    assert rows == [
        ("equal", "line one", "line one"),
        ("replace", "line two", "line 2, with a figure"),
        ("equal", "line three", "line three"),
        ("insert", "", "line four"),
    ]


def test_changes_view_answers_404_for_unknown_and_refuses_non_editors(editor_admin, client):
    assert editor_admin.get(reverse("admin:guide_contribution_changes", args=[999999])).status_code == 404
    contribution = ContributionFactory()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:guide_contribution_changes", args=[contribution.pk])).status_code == 404


ADMIN_BY_ROLE = {"visitor": 302, "pending": 302, "member": 302, "facilitator": 302, "editor": 302}


@pytest.mark.parametrize("role", list(ADMIN_BY_ROLE))
@pytest.mark.parametrize(
    "name",
    ["admin:guide_contribution_changelist", "admin:guide_chapter_changelist", "admin:guide_contribution_changes"],
)
def test_admin_pages_need_staff_access_for_every_role(client_for, role, name):
    # Editors work in the admin once given staff access; without it they are sent to sign in.
    contribution = ContributionFactory()
    url = reverse(name, args=[contribution.pk] if name.endswith("changes") else [])
    response = client_for(role).get(url)
    assert response.status_code == ADMIN_BY_ROLE[role]
    assert response.url.startswith("/admin/login/")


def test_a_guide_editor_translates_a_chapters_title_and_introduction(editor_admin):
    from guide.models import ChapterTranslation

    chapter = ChapterFactory(title="Governance", introduction="Who decides.")
    url = reverse("admin:guide_chapter_change", args=[chapter.pk])
    assert 'name="translations-TOTAL_FORMS"' in editor_admin.get(url).content.decode()

    response = editor_admin.post(
        url,
        {
            "title": chapter.title,
            "slug": chapter.slug,
            "introduction": chapter.introduction,
            "order": chapter.order,
            "contributions-TOTAL_FORMS": "0",
            "contributions-INITIAL_FORMS": "0",
            "translations-TOTAL_FORMS": "1",
            "translations-INITIAL_FORMS": "0",
            "translations-0-language": "pt",
            "translations-0-title": "Governação",
            "translations-0-introduction": "Quem decide.",
        },
    )

    assert response.status_code == 302
    assert list(ChapterTranslation.objects.values_list("chapter", "language", "title")) == [
        (chapter.pk, "pt", "Governação")
    ]
