"""Contributions that start from a theme's sheet or a meeting's minutes, and their co-authors:
each consents and chooses their credit, is credited where the entry is read, and may edit while
the author may."""

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from community.tests.factories import UserFactory, facilitator
from guide import selectors
from guide.enums import CoAuthorCredit, ContributionState
from guide.models import CoAuthor, Contribution
from guide.services import (
    CoAuthorError,
    NotEditableError,
    coauthor_answer,
    coauthors_set,
    contribution_update,
)
from meetings.models import AgendaItem, Minutes
from themes.enums import PresenterStatus, ThemeState
from themes.models import ExperienceSheet, PresenterRole
from themes.tests.factories import presenter

from .factories import ChapterFactory, CommunityOrganisationFactory, ContributionFactory
from .pages import contribution_form_data, source_meeting, source_theme

pytestmark = pytest.mark.django_db

S = ContributionState
CONTRIBUTE = reverse("guide:contribute")


def _presented_theme():
    theme = source_theme(state=ThemeState.PRESENTED)
    ExperienceSheet.objects.create(
        theme=theme,
        activity="Speed networking between partners, six rounds of five minutes.",
        strengths="Everyone meets everyone.",
        weaknesses="",
        transferability="Any centre with a room and a bell.",
    )
    return theme


# --- Starting from the content -------------------------------------------------------------------


def test_a_contribution_from_a_theme_starts_from_its_sheet_with_the_co_presenter_offered(member_client, member):
    theme = _presented_theme()
    presenter(theme, member)
    co_presenter = presenter(theme, UserFactory(display_name="Bruno Co")).member
    PresenterRole.objects.create(theme=theme, member=UserFactory(), status=PresenterStatus.DECLINED)

    form = member_client.get(CONTRIBUTE, {"theme": theme.pk}).context["form"]

    assert form.initial["body"] == (
        "#### The activity or tool\n\nSpeed networking between partners, six rounds of five minutes.\n\n"
        "#### Strengths\n\nEveryone meets everyone.\n\n"
        "#### Transferability\n\nAny centre with a room and a bell."
    )
    assert form.initial["coauthors"] == [co_presenter.pk]
    assert [value for value, _label in form.fields["coauthors"].widget.choices] == [co_presenter.pk]


def test_a_contribution_from_a_meeting_starts_from_its_published_minutes_with_their_writer(member_client):
    writer = facilitator(display_name="Fatou Minutes")
    meeting = source_meeting(minutes_published_at=timezone.now())
    first = AgendaItem.objects.create(meeting=meeting, title="Hot news", position=1)
    second = AgendaItem.objects.create(meeting=meeting, title="Barriers", position=2)
    AgendaItem.objects.create(meeting=meeting, title="Nothing written", position=3)
    Minutes.objects.create(agenda_item=second, text="Partners leave after a year.", updated_by=writer)
    Minutes.objects.create(agenda_item=first, text="A new centre in Lyon.", updated_by=writer)

    form = member_client.get(CONTRIBUTE, {"meeting": meeting.pk}).context["form"]

    assert (
        form.initial["body"]
        == "#### Hot news\n\nA new centre in Lyon.\n\n#### Barriers\n\nPartners leave after a year."
    )
    assert form.initial["coauthors"] == [writer.pk]


def test_minute_takers_come_from_the_history_when_no_writer_is_recorded():
    from guide.bridge import minute_takers_of

    writer = facilitator()
    meeting = source_meeting(minutes_published_at=timezone.now())
    minutes = Minutes(agenda_item=AgendaItem.objects.create(meeting=meeting, title="Hot news"), text="News.")
    minutes._history_user = writer
    minutes.save()

    assert minute_takers_of(meeting) == [writer.pk]


def test_unpublished_minutes_are_not_carried_over(member_client):
    meeting = source_meeting()
    Minutes.objects.create(agenda_item=AgendaItem.objects.create(meeting=meeting, title="Hot news"), text="Secret.")

    form = member_client.get(CONTRIBUTE, {"meeting": meeting.pk}).context["form"]

    assert "body" not in form.initial


def test_the_prefilled_text_is_editable_and_the_co_author_invited_on_saving(
    member_client, member, django_capture_on_commit_callbacks
):
    theme = _presented_theme()
    co_presenter = presenter(theme, UserFactory(email="bruno@example.org")).member
    chapter = ChapterFactory()

    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(
            CONTRIBUTE,
            contribution_form_data(
                chapter, body="My own words.", source_theme=theme.pk, coauthors=[co_presenter.pk], save="1"
            ),
        )

    contribution = Contribution.objects.get()
    assert contribution.body == "My own words."
    assert list(contribution.coauthors.values_list("member", "consented_at", "invited_by")) == [
        (co_presenter.pk, None, member.pk)
    ]
    assert [m.to for m in mail.outbox] == [["bruno@example.org"]]
    assert reverse("guide:coauthor", args=[contribution.coauthors.get().pk]) in mail.outbox[0].body


def test_the_author_cannot_be_their_own_co_author(member):
    contribution = ContributionFactory(author=member)

    assert coauthors_set(contribution=contribution, members=[member], by=member) == []
    assert CoAuthor.objects.count() == 0


def test_a_co_author_search_keeps_the_ticked_and_lists_those_found(member_client):
    ticked = UserFactory(display_name="Ana Ticked")
    found = UserFactory(display_name="Zélia Found")

    response = member_client.post(
        CONTRIBUTE,
        contribution_form_data(ChapterFactory(), coauthors=[ticked.pk], find_coauthors="Zélia", find_members="1"),
    )

    assert response.status_code == 200
    assert [v for v, _label in response.context["form"].fields["coauthors"].widget.choices] == [ticked.pk, found.pk]
    assert Contribution.objects.count() == 0


# --- Consent and credit --------------------------------------------------------------------------


def test_a_co_author_consents_with_their_credit_from_their_page(client):
    contribution = ContributionFactory()
    coauthor = UserFactory()
    [row] = coauthors_set(contribution=contribution, members=[coauthor], by=contribution.author)
    client.force_login(coauthor)

    page = client.get(reverse("guide:coauthor", args=[row.pk]))
    response = client.post(
        reverse("guide:coauthor", args=[row.pk]), {"credit": CoAuthorCredit.NAME_ONLY, "consent": "1"}
    )

    assert page.status_code == 200
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.credit, row.consented_at is not None, row.declined_at) == (CoAuthorCredit.NAME_ONLY, True, None)


def test_a_co_author_declines_and_is_not_credited(client):
    contribution = ContributionFactory(state=S.PUBLISHED)
    coauthor = UserFactory()
    [row] = coauthors_set(contribution=contribution, members=[coauthor], by=contribution.author)
    client.force_login(coauthor)

    client.post(reverse("guide:coauthor", args=[row.pk]), {"credit": CoAuthorCredit.NAME, "decline": "1"})

    row.refresh_from_db()
    assert (row.consented_at, row.declined_at is not None) == (None, True)
    assert selectors.chapter_published_entries(chapter=contribution.chapter).get().credited_coauthors == []


def test_an_invitation_answers_404_to_anyone_but_the_member_invited(client, member_client):
    contribution = ContributionFactory()
    [row] = coauthors_set(contribution=contribution, members=[UserFactory()], by=contribution.author)

    assert member_client.get(reverse("guide:coauthor", args=[row.pk])).status_code == 404
    assert member_client.post(reverse("guide:coauthor", args=[row.pk]), {"consent": "1"}).status_code == 404
    assert member_client.get(reverse("guide:coauthor", args=[999999])).status_code == 404
    with pytest.raises(CoAuthorError):
        coauthor_answer(coauthor=row, by=contribution.author, consent=True)
    assert CoAuthor.objects.get().consented_at is None


def _credited(credit):
    centre = CommunityOrganisationFactory(name="Cité des métiers du Havre")
    author = UserFactory(display_name="Ana Author")
    contribution = ContributionFactory(state=S.PUBLISHED, author=author, centre=None)
    coauthor = UserFactory(display_name="Bruno Co", organisation=centre)
    [row] = coauthors_set(contribution=contribution, members=[coauthor], by=author)
    coauthor_answer(coauthor=row, by=coauthor, consent=True, credit=credit)
    return contribution


@pytest.mark.parametrize(
    ("credit", "shown"),
    [
        (CoAuthorCredit.NAME, "Ana Author with Bruno Co, Cité des métiers du Havre"),
        (CoAuthorCredit.NAME_ONLY, "Ana Author with Bruno Co"),
        (CoAuthorCredit.ANONYMOUS, "Ana Author with a member of the network"),
    ],
)
def test_a_consenting_co_author_is_credited_as_they_chose_on_the_chapter_and_in_the_pdf(client, credit, shown):
    contribution = _credited(credit)

    html = client.get(contribution.chapter.get_absolute_url()).content.decode()
    part = render_to_string(
        "guide/pdf/part.html",
        {
            "chapter": contribution.chapter,
            "entries": selectors.pdf_entries(ids=[contribution.pk], language="en"),
            "first": True,
            "reader_language": "en",
        },
    )

    for page in (html, part):
        credit_line = page.split("Contributed by ")[1].split("</p>")[0]
        text = credit_line.replace('<span class="guide-coauthor">', "").replace("</span>", "")
        assert text == shown


def test_an_answer_changes_the_pdf_fingerprint_of_a_published_entry():
    from guide.pdf import guide_fingerprint

    contribution = ContributionFactory(state=S.PUBLISHED)
    coauthor = UserFactory()
    [row] = coauthors_set(contribution=contribution, members=[coauthor], by=contribution.author)
    before = guide_fingerprint(language="en")

    coauthor_answer(coauthor=row, by=coauthor, consent=True)

    assert guide_fingerprint(language="en") != before


def test_the_admin_lists_the_co_authors_and_their_answers(editor_admin):
    contribution = _credited(CoAuthorCredit.NAME_ONLY)

    html = editor_admin.get(reverse("admin:guide_contribution_change", args=[contribution.pk])).content.decode()

    assert "Bruno Co" in html
    assert "Co-authors (credited once they consent)" in html


# --- Editing as a co-author ----------------------------------------------------------------------


def _coauthored(state, *, consent=True):
    contribution = ContributionFactory(state=state)
    coauthor = UserFactory()
    [row] = coauthors_set(contribution=contribution, members=[coauthor], by=contribution.author)
    if consent:
        coauthor_answer(coauthor=row, by=coauthor, consent=True)
    return contribution, coauthor


@pytest.mark.parametrize("state", [S.DRAFT, S.CHANGES_REQUESTED])
def test_a_consenting_co_author_edits_a_draft_or_changes_requested(client, state):
    contribution, coauthor = _coauthored(state)
    client.force_login(coauthor)
    url = reverse("guide:edit", args=[contribution.pk])

    page = client.get(url)
    response = client.post(
        url,
        {
            "kind": contribution.kind,
            "title": "Better title",
            "chapter": contribution.chapter_id,
            "body": "Our text, improved.",
            "version": contribution.version,
            "save": "1",
        },
    )

    assert page.status_code == 200
    assert "licence_consent" not in page.context["form"].fields
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert (contribution.title, contribution.body, contribution.version, contribution.state) == (
        "Better title",
        "Our text, improved.",
        2,
        state,
    )


@pytest.mark.parametrize("state", [S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED, S.PUBLISHED, S.REJECTED])
def test_a_co_author_cannot_edit_once_it_went_to_the_editors(client, state):
    contribution, coauthor = _coauthored(state)
    client.force_login(coauthor)

    response = client.get(reverse("guide:edit", args=[contribution.pk]))

    assert response.status_code == 302
    with pytest.raises(NotEditableError):
        contribution_update(contribution=contribution, by=coauthor, version=contribution.version, body="Mine now")
    assert Contribution.objects.get().body == contribution.body


def test_a_co_author_who_has_not_consented_cannot_edit(client):
    contribution, coauthor = _coauthored(S.DRAFT, consent=False)
    client.force_login(coauthor)

    assert client.get(reverse("guide:edit", args=[contribution.pk])).status_code == 404
    with pytest.raises(NotEditableError):
        contribution_update(contribution=contribution, by=coauthor, version=1, body="Mine now")


def test_a_co_author_may_neither_submit_nor_change_the_authors_choices(client):
    contribution, coauthor = _coauthored(S.DRAFT)

    for change in ({"submit": True}, {"credit": "anonymous"}, {"coauthors": []}):
        with pytest.raises(NotEditableError):
            contribution_update(contribution=contribution, by=coauthor, version=1, **change)
    client.force_login(coauthor)
    client.post(reverse("guide:transition", args=[contribution.pk, "submit"]))

    assert Contribution.objects.get().state == S.DRAFT
    assert CoAuthor.objects.get().member == coauthor


def test_my_contributions_list_the_invitations_with_a_link_to_answer(client):
    contribution, coauthor = _coauthored(S.DRAFT, consent=False)
    client.force_login(coauthor)

    html = client.get(reverse("guide:mine")).content.decode()

    assert contribution.title in html
    assert reverse("guide:coauthor", args=[CoAuthor.objects.get().pk]) in html


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_my_contributions_and_an_invitation_run_the_same_queries_at_1_and_10_invitations(client):
    coauthor = UserFactory()
    client.force_login(coauthor)
    first = ContributionFactory()
    [row] = coauthors_set(contribution=first, members=[coauthor], by=first.author)
    one = (_queries(client, reverse("guide:mine")), _queries(client, reverse("guide:coauthor", args=[row.pk])))
    for n in range(9):
        other = ContributionFactory(state=S.DRAFT if n % 2 else S.SUBMITTED)
        [invited] = coauthors_set(contribution=other, members=[coauthor], by=other.author)
        if n % 3:
            coauthor_answer(coauthor=invited, by=coauthor, consent=True)

    ten = (_queries(client, reverse("guide:mine")), _queries(client, reverse("guide:coauthor", args=[row.pk])))

    assert ten == one
    assert max(ten) <= 15


def test_the_contribution_form_offers_a_co_author_search_even_with_nobody_listed(member_client):
    html = member_client.get(CONTRIBUTE).content.decode()

    assert 'id="guide-coauthor-choices"' in html
    assert 'name="find_coauthors"' in html


def test_co_author_choices_list_the_ticked_and_the_found_never_the_author(member_client, member):
    ticked = UserFactory(display_name="Ana Ticked")
    found = UserFactory(display_name="Zélia Found")
    url = reverse("guide:coauthor_choices")

    response = member_client.get(url, {"find_coauthors": "a", "coauthors": [ticked.pk]})
    myself = member_client.get(url, {"find_coauthors": member.display_name})

    assert response.status_code == 200
    listed = [v for v, _label in response.context["form"].fields["coauthors"].widget.choices]
    assert set(listed) == {ticked.pk, found.pk}
    assert member.pk not in [v for v, _label in myself.context["form"].fields["coauthors"].widget.choices]


@pytest.mark.parametrize(("role", "status"), [("visitor", 302), ("pending", 302), ("member", 200)])
def test_co_author_choices_are_for_members(client_for, role, status):
    assert client_for(role).get(reverse("guide:coauthor_choices"), {"find_coauthors": "x"}).status_code == status


def test_the_author_sees_each_co_authors_answer_on_my_contributions(member_client, member):
    contribution = ContributionFactory(author=member)
    agreed, waiting = UserFactory(display_name="Bruno Agreed"), UserFactory(display_name="Carla Waiting")
    rows = coauthors_set(contribution=contribution, members=[agreed, waiting], by=member)
    coauthor_answer(coauthor=rows[0], by=agreed, consent=True)

    html = member_client.get(reverse("guide:mine")).content.decode()

    assert "Bruno Agreed (agreed to be credited), Carla Waiting (not answered yet)" in html
