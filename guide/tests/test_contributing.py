"""Writing, editing and listing one's own contributions, through the pages."""

import pytest
from django.urls import reverse

from guide.enums import ContributionState, Credit
from guide.models import Contribution, ContributionTransition
from meetings.models import Resource

from .factories import ChapterFactory, CommunityOrganisationFactory, ContributionFactory
from .pages import contribution_form_data, source_meeting, source_theme

pytestmark = pytest.mark.django_db

S = ContributionState
LOGIN = "/accounts/login/?next="
WAITING = "/members/waiting/"


# ---------------------------------------------------------------- contributing


def test_member_submits_a_contribution(member_client, member):
    chapter = ChapterFactory()
    centre = CommunityOrganisationFactory()

    response = member_client.post("/guide/contribute/", contribution_form_data(chapter, centre=centre.pk, submit="1"))

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
    member_client.post("/guide/contribute/", contribution_form_data(chapter, credit=Credit.ANONYMOUS, save="1"))
    contribution = Contribution.objects.get()
    assert (contribution.state, contribution.credit) == (S.DRAFT, Credit.ANONYMOUS)
    assert contribution.transitions.count() == 0


def test_contribute_prefills_centre_and_sources(client, member):
    centre = CommunityOrganisationFactory()
    member.organisation = centre
    member.save()
    client.force_login(member)
    meeting = source_meeting()
    theme = source_theme(meeting=meeting)
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
    meeting = source_meeting()
    theme = source_theme(meeting=meeting)
    resource = Resource.objects.create(meeting=meeting, title="Prompt cards")
    member_client.post(
        "/guide/contribute/",
        contribution_form_data(
            chapter, source_theme=theme.pk, source_meeting=meeting.pk, source_resource=resource.pk, save="1"
        ),
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
    response = member_client.post("/guide/contribute/", contribution_form_data(chapter, submit="1", **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert 'value="Breakfast with partners"' in response.content.decode()
    assert Contribution.objects.count() == 0


def test_a_draft_may_wait_for_the_licence_consent_but_not_its_submission(member_client, member):
    chapter = ChapterFactory()

    response = member_client.post("/guide/contribute/", contribution_form_data(chapter, licence_consent=None, save="1"))

    assert response.status_code == 302
    draft = Contribution.objects.get()
    assert (draft.state, draft.licence_consent, draft.author) == (S.DRAFT, False, member)

    response = member_client.post(f"/guide/mine/{draft.pk}/submit/", follow=True)

    assert "cannot go to the editors yet: edit it and agree to the guide&#x27;s licence." in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == S.DRAFT
    assert draft.transitions.count() == 0

    response = member_client.post(
        f"/guide/mine/{draft.pk}/edit/",
        contribution_form_data(chapter, licence_consent=None, version=draft.version, submit="1"),
    )
    assert response.context["form"].errors["licence_consent"] == [
        "The guide can only publish texts whose authors agree to its licence."
    ]
    draft.refresh_from_db()
    assert draft.state == S.DRAFT

    member_client.post(
        f"/guide/mine/{draft.pk}/edit/", contribution_form_data(chapter, version=draft.version, submit="1")
    )
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
        contribution_form_data(chapter, title="Revised title", version=str(contribution.version), submit="1"),
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
    response = member_client.post(
        url, contribution_form_data(contribution.chapter, title="Changed", version="1", save="1")
    )

    assert response.status_code == 302
    contribution.refresh_from_db()
    assert (contribution.title, contribution.state, contribution.version) == ("Original", state, 1)


def test_author_edit_from_an_outdated_page_is_refused(member_client, member):
    contribution = ContributionFactory(author=member, state=S.DRAFT, title="Original", version=3)

    response = member_client.post(
        f"/guide/mine/{contribution.pk}/edit/",
        contribution_form_data(contribution.chapter, title="From old tab", version="2", save="1"),
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
