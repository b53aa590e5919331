import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from community.tests.factories import UserFactory
from guide import hooks, services
from guide.enums import ContributionState, Credit
from guide.models import Chapter, Contribution, ContributionTransition

from .factories import ChapterFactory, CommunityOrganisationFactory, ContributionFactory

pytestmark = pytest.mark.django_db

S = ContributionState


def test_dashboard_panels_show_my_open_contributions_and_the_latest_entries(member, member_client):
    ContributionFactory(author=member, state=S.CHANGES_REQUESTED, title="Mine, open")
    ContributionFactory(author=member, state=S.REJECTED, title="Mine, closed")
    ContributionFactory(state=S.PUBLISHED, title="Latest entry")

    mine, latest = hooks.dashboard_panels(member)
    html = member_client.get("/").content.decode()

    assert [c.title for c in mine["contributions"]] == ["Mine, open"]
    assert "Latest entry" in latest["html"]
    assert "Mine, open" in html
    assert "Latest entry" in html
    assert "Mine, closed" not in html


def test_dashboard_panels_are_empty_for_a_pending_member(pending):
    assert hooks.dashboard_panels(pending) == []


def test_profile_sections_list_entries_credited_by_name_only(member, editor):
    ContributionFactory(author=member, state=S.PUBLISHED, title="By name")
    ContributionFactory(author=member, state=S.PUBLISHED, title="Anonymous", credit=Credit.ANONYMOUS)
    ContributionFactory(author=member, state=S.ACCEPTED, title="Not yet out")

    sections = hooks.profile_sections(member, editor)
    as_section = render_to_string(sections[0]["template"], {"section": sections[0]})
    as_panel = render_to_string(sections[0]["template"], {"panel": sections[0]})

    assert [[e.title for e in s["entries"]] for s in sections] == [["By name"]]
    assert "By name" in as_section
    assert "By name" in as_panel
    assert "Anonymous" not in as_section
    assert hooks.profile_sections(UserFactory(), editor) == []


def test_export_includes_contributions_with_their_review_history(member, editor):
    contribution = ContributionFactory(author=member, state=S.CHANGES_REQUESTED, title="Cross-visits")
    ContributionTransition.objects.create(
        contribution=contribution, from_state=S.DRAFT, to_state=S.SUBMITTED, by=member
    )
    ContributionTransition.objects.create(
        contribution=contribution,
        from_state=S.SUBMITTED,
        to_state=S.CHANGES_REQUESTED,
        by=editor,
        by_editor=True,
        comment="Add a figure",
    )
    ContributionFactory(title="Someone else's")

    data = hooks.export_personal_data(member)

    json.dumps(data)  # serialisable as the export file is
    [exported] = data["guide_contributions"]
    assert exported["title"] == "Cross-visits"
    assert exported["state"] == S.CHANGES_REQUESTED
    assert [(s["from"], s["to"], s["by"], s["comment"]) for s in exported["review_history"]] == [
        (S.DRAFT, S.SUBMITTED, "you", ""),
        (S.SUBMITTED, S.CHANGES_REQUESTED, "a guide editor", "Add a figure"),
    ]


def test_erasure_keeps_published_entries_anonymously_and_removes_the_rest(client):
    author = UserFactory(display_name="Rui Almeida")
    chapter = ChapterFactory(slug="kept")
    published = ContributionFactory(author=author, chapter=chapter, state=S.PUBLISHED, title="Stays in the guide")
    draft = ContributionFactory(author=author, state=S.DRAFT, title="Private draft")
    submitted = ContributionFactory(author=author, state=S.SUBMITTED, title="Pending review")
    other = ContributionFactory(state=S.DRAFT)

    author_pk = author.pk
    services.member_data_erase(member=author)
    author.delete()

    assert set(Contribution.objects.values_list("pk", flat=True)) == {published.pk, other.pk}
    published.refresh_from_db()
    assert (published.author, published.credit) == (None, Credit.ANONYMOUS)
    assert not Contribution.history.filter(id__in=[draft.pk, submitted.pk]).exists()
    assert not Contribution.history.filter(id=published.pk, author_id=author_pk).exists()
    html = client.get("/guide/kept/").content.decode()
    assert "Stays in the guide" in html
    assert "Rui Almeida" not in html
    assert "a member of the network" in html


def test_search_hook_finds_published_entries_only(member):
    chapter = ChapterFactory(slug="links")
    entry = ContributionFactory(chapter=chapter, state=S.PUBLISHED, title="Speed networking between partners")
    ContributionFactory(state=S.SUBMITTED, title="Speed dating for partners")

    results = hooks.search("speed", member)

    assert [(r["title"], r["url"]) for r in results] == [(entry.title, f"/guide/links/#entry-{entry.pk}")]


def test_site_search_shows_guide_entries(member_client):
    ContributionFactory(state=S.PUBLISHED, title="Gamified speed networking")
    response = member_client.get("/search/", {"q": "gamified"})
    assert "Gamified speed networking" in response.content.decode()


def test_seed_demo_makes_six_chapters_and_forty_seven_contributions_in_every_state_once():
    centre = CommunityOrganisationFactory()
    UserFactory.create_batch(8, organisation=centre)

    call_command("seed_demo", stdout=io.StringIO())
    first = sorted(Contribution.objects.values_list("title", "state", "author_id", "chapter__slug", "credit"))
    steps = ContributionTransition.objects.count()
    call_command("seed_demo", stdout=io.StringIO())

    assert Chapter.objects.count() == 6
    # 40 in English, 4 written in French or Portuguese and 3 translations of these.
    assert len(first) == 47
    assert sorted(Contribution.objects.exclude(language="en").values_list("language", flat=True)) == [
        "fr",
        "fr",
        "fr",
        "pt",
        "pt",
        "pt",
    ]
    assert {state for _t, state, *_ in first} == set(S.values)
    assert sorted(Contribution.objects.values_list("title", "state", "author_id", "chapter__slug", "credit")) == first
    assert ContributionTransition.objects.count() == steps
    assert Contribution.history.count() == 47
    assert not Contribution.objects.filter(author__state="pending").exists()


def test_seed_demo_review_history_is_dated_in_the_story_not_at_seeding_time():
    from django.utils import timezone

    UserFactory.create_batch(8, organisation=CommunityOrganisationFactory())
    call_command("seed_demo", stdout=io.StringIO())

    moved = Contribution.objects.exclude(state=S.DRAFT).prefetch_related("transitions")
    assert moved.count() > 30
    for contribution in moved:
        dates = [step.at for step in sorted(contribution.transitions.all(), key=lambda t: t.pk)]
        assert dates == sorted(dates)
        assert dates[-1] == contribution.state_changed_at
        assert contribution.created_at < dates[0]
    assert not ContributionTransition.objects.filter(at__gt=timezone.now() - timedelta(days=2)).exists()


def test_chapter_slug_may_not_take_a_guide_page_address(editor):
    from django.core.exceptions import ValidationError

    chapter = Chapter(title="Mine", slug="mine")
    with pytest.raises(ValidationError):
        chapter.full_clean()


def test_contribute_button_include_links_to_the_prefilled_form():
    from django.template.loader import render_to_string

    html = render_to_string(
        "guide/includes/_contribute_button.html", {"theme": type("T", (), {"pk": 7})()}, RequestFactory().get("/")
    )
    assert 'href="/guide/contribute/?theme=7"' in html


def test_dashboard_shows_editors_the_review_queue(editor_admin, staff_editor):
    ContributionFactory(state=S.SUBMITTED)
    ContributionFactory(state=S.IN_REVIEW)
    ContributionFactory(state=S.DRAFT)

    html = editor_admin.get("/").content.decode()
    queue = editor_admin.get("/admin/guide/contribution/?state__in=submitted,in_review")

    assert "2 contributions are submitted or in review." in html
    assert sorted(c.state for c in queue.context["cl"].result_list) == [S.IN_REVIEW, S.SUBMITTED]
    assert [p["template"] for p in hooks.dashboard_panels(UserFactory())] == [
        "guide/includes/_dashboard_mine.html",
        "portal/includes/_rendered_panel.html",
    ]


def test_the_latest_entries_panel_is_rendered_once_and_shows_a_publish_at_once(client, staff_editor):
    member = UserFactory()
    client.force_login(member)
    ContributionFactory(state=S.PUBLISHED, title="Shared calendars")
    assert "Shared calendars" in client.get("/").content.decode()
    with CaptureQueriesContext(connection) as cached:
        client.get("/")
    published = '"guide_contribution"."state" = \'published\''
    assert not [q for q in cached.captured_queries if published in q["sql"]]

    accepted = ContributionFactory(state=S.ACCEPTED, title="One desk for three partners")
    services.contribution_transition(contribution=accepted, to=S.PUBLISHED, by=staff_editor)

    assert "One desk for three partners" in client.get("/").content.decode()


def test_meeting_sections_list_entries_from_the_meeting_and_offer_to_contribute(member, client):
    from datetime import UTC, datetime

    from meetings.models import Meeting

    meeting = Meeting.objects.create(title="March meeting", starts_at=datetime(2026, 3, 2, 9, tzinfo=UTC))
    ContributionFactory(state=S.PUBLISHED, source_meeting=meeting, title="Grew from March")
    ContributionFactory(state=S.SUBMITTED, source_meeting=meeting, title="Not yet out")

    [section] = hooks.meeting_sections(meeting, member)
    html = render_to_string(section["template"], {"section": section})
    assert render_to_string(section["template"], {"panel": section}) == html

    assert [e.title for e in section["entries"]] == ["Grew from March"]
    assert "Grew from March" in html
    assert f'href="/guide/contribute/?meeting={meeting.pk}"' in html
    assert hooks.meeting_sections(meeting, UserFactory(state="pending")) == []
