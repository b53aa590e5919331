"""The contribution form's sources are searched, not listed: the chosen ones and a few matches."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guide.enums import ContributionState
from guide.models import Contribution
from meetings.enums import MeetingState
from meetings.models import Meeting, Resource
from themes.enums import ThemeReason, ThemeState
from themes.models import Theme

from .factories import ChapterFactory, ContributionFactory
from .pages import contribution_form_data as _form_data

pytestmark = pytest.mark.django_db

SOURCES = reverse("guide:sources")
CONTRIBUTE = reverse("guide:contribute")


def _meeting(title="Meeting of March", when=None, state=MeetingState.PUBLISHED):
    return Meeting.objects.create(
        title=title, starts_at=when or timezone.now() - timedelta(days=30), state=state, time_zone="UTC"
    )


def _theme(title="Gamified speed networking", state=ThemeState.PRESENTED, **kwargs):
    return Theme.objects.create(
        title=title, summary="How we made partners meet.", reason=ThemeReason.INNOVATION, state=state, **kwargs
    )


def _options(form, name) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in form.fields[name].widget.choices]


def test_form_lists_no_source_until_one_is_searched(member_client):
    _theme()
    _meeting()

    form = member_client.get(CONTRIBUTE).context["form"]

    assert [_options(form, name) for name in ("source_theme", "source_meeting", "source_resource")] == [
        [("", "---------")]
    ] * 3


def test_search_lists_matching_sources_of_each_kind_and_keeps_the_chosen(member_client):
    chosen = _theme(title="Respecting GDPR")
    found = _theme(title="Partners' breakfast")
    _theme(title="Valorising a partnership")  # "breakfast" is not in it
    meeting = _meeting(title="Breakfast meeting")
    resource = Resource.objects.create(meeting=_meeting(title="Meeting of May"), title="Breakfast checklist")

    response = member_client.get(SOURCES, {"find_sources": "breakfast", "source_theme": chosen.pk})

    assert response.status_code == 200
    form = response.context["form"]
    assert _options(form, "source_theme") == [
        ("", "---------"),
        (str(found.pk), "Partners' breakfast"),
        (str(chosen.pk), "Respecting GDPR"),
    ]
    assert [value for value, _label in _options(form, "source_meeting")] == ["", str(meeting.pk)]
    assert [value for value, _label in _options(form, "source_resource")] == ["", str(resource.pk)]
    page = response.content.decode()
    assert f'<option value="{chosen.pk}" selected>Respecting GDPR</option>' in page
    assert "3 sources found for “breakfast”" in page


def test_resources_of_the_same_title_name_their_meeting_and_date(member_client):
    march = _meeting(title="Meeting of March", when=datetime(2025, 3, 12, 14, tzinfo=UTC))
    may = _meeting(title="Meeting of May", when=datetime(2025, 5, 14, 14, tzinfo=UTC))
    Resource.objects.create(meeting=march, title="Prompt cards")
    Resource.objects.create(meeting=may, title="Prompt cards")

    form = member_client.get(SOURCES, {"find_sources": "prompt cards"}).context["form"]

    assert [label for _value, label in _options(form, "source_resource")] == [
        "---------",
        "Prompt cards — Meeting of May, 14 May 2025",
        "Prompt cards — Meeting of March, 12 March 2025",
    ]


def test_search_finds_no_source_a_member_may_not_name(member_client):
    _theme(title="Withdrawn partners idea", state=ThemeState.WITHDRAWN)
    draft = _meeting(title="Partners draft meeting", state=MeetingState.DRAFT)
    Resource.objects.create(meeting=draft, title="Partners secret agenda")

    response = member_client.get(SOURCES, {"find_sources": "partners", "source_meeting": draft.pk})

    form = response.context["form"]
    assert [_options(form, name) for name in ("source_theme", "source_meeting", "source_resource")] == [
        [("", "---------")]
    ] * 3
    assert "No theme, meeting or resource matches “partners”." in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"find_sources": "a\x00b", "source_theme": "abc"},
        {"find_sources": "x" * 5000, "source_meeting": "99999999999999999999"},
        {"source_resource": "-1", "source_theme": "1.5"},
        {"find_sources": "%_\\'\""},
    ],
)
def test_bad_search_input_answers_the_lists(member_client, params):
    response = member_client.get(SOURCES, params)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "status"), [("visitor", 302), ("pending", 302), ("member", 200), ("facilitator", 200), ("editor", 200)]
)
def test_source_search_is_for_members(client_for, role, status):
    assert client_for(role).get(SOURCES, {"find_sources": "x"}).status_code == status


def test_source_search_refuses_post(member_client):
    assert member_client.post(SOURCES, {"find_sources": "x"}).status_code == 405


def test_source_search_query_count_does_not_grow_with_matches(member_client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert member_client.get(SOURCES, {"find_sources": "networking"}).status_code == 200
        return len(captured)

    meeting = _meeting(title="Networking day")
    _theme(title="Networking one")
    Resource.objects.create(meeting=meeting, title="Networking cards")
    one = queries()
    for n in range(10):
        _theme(title=f"Networking {n}")
        Resource.objects.create(meeting=_meeting(title=f"Networking meeting {n}"), title=f"Networking sheet {n}")
    assert queries() == one


def test_find_without_javascript_keeps_everything_typed_and_saves_nothing(member_client):
    chapter = ChapterFactory()
    theme = _theme(title="Partners' breakfast")
    data = _form_data(
        chapter, title="Our breakfasts", body="Typed *carefully*.", find_sources="breakfast", find_members="1"
    )

    response = member_client.post(CONTRIBUTE, data)

    assert response.status_code == 200
    assert Contribution.objects.count() == 0
    form = response.context["form"]
    assert (form["title"].value(), form["body"].value(), form["find_sources"].value()) == (
        "Our breakfasts",
        "Typed *carefully*.",
        "breakfast",
    )
    assert form["licence_consent"].value() == "on"
    assert _options(form, "source_theme") == [("", "---------"), (str(theme.pk), "Partners' breakfast")]
    assert "Typed *carefully*." in response.content.decode()

    member_client.post(CONTRIBUTE, _form_data(chapter, title="Our breakfasts", source_theme=theme.pk, save="1"))
    assert Contribution.objects.get().source_theme == theme


def test_find_while_editing_keeps_the_text_and_the_version(member_client, member):
    chapter = ChapterFactory()
    meeting = _meeting(title="Meeting of June")
    contribution = ContributionFactory(author=member, chapter=chapter, state=ContributionState.DRAFT)
    url = reverse("guide:edit", kwargs={"pk": contribution.pk})

    response = member_client.post(
        url,
        _form_data(chapter, body="Changed text", version=contribution.version, find_sources="june", find_members="1"),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert (form["body"].value(), form["version"].value()) == ("Changed text", str(contribution.version))
    assert [value for value, _label in _options(form, "source_meeting")] == ["", str(meeting.pk)]
    contribution.refresh_from_db()
    assert contribution.body != "Changed text"


def test_turning_a_theme_into_a_contribution_lists_it_and_its_meeting_chosen(member_client):
    meeting = _meeting(title="Meeting of March")
    theme = _theme(title="Gamified speed networking", meeting=meeting)
    _theme(title="Another theme")

    response = member_client.get(CONTRIBUTE, {"theme": theme.pk})

    form = response.context["form"]
    assert _options(form, "source_theme") == [("", "---------"), (str(theme.pk), "Gamified speed networking")]
    assert [value for value, _label in _options(form, "source_meeting")] == ["", str(meeting.pk)]
    page = response.content.decode()
    assert f'<option value="{theme.pk}" selected>Gamified speed networking</option>' in page
    assert "Another theme" not in page


def test_find_while_translating_keeps_the_entry_translated(member_client):
    chapter = ChapterFactory()
    original = ContributionFactory(chapter=chapter, state=ContributionState.PUBLISHED, title="Partners' charter")

    response = member_client.post(
        CONTRIBUTE,
        _form_data(chapter, translation_of=original.pk, language="fr", find_sources="x", find_members="1"),
    )

    assert response.status_code == 200
    assert response.context["original"] == original
    assert f'name="translation_of" value="{original.pk}"' in response.content.decode()
