from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.enums import AgendaKind, MeetingState
from meetings.models import AgendaItem
from themes.enums import ThemeState
from themes.models import Theme, ThemeTransition
from themes.tests.factories import MeetingFactory, ThemeFactory, presenter

pytestmark = pytest.mark.django_db


def test_facilitator_schedules_from_the_theme_page(facilitator_client, facilitator):
    theme = ThemeFactory()
    role = presenter(theme)
    meeting = MeetingFactory(title="Meeting of May")
    MeetingFactory(title="A draft", state=MeetingState.DRAFT)
    MeetingFactory(title="Long ago", starts_at=timezone.now() - timedelta(days=3))

    page = facilitator_client.get(f"/themes/{theme.pk}/schedule/")
    assert [m.title for m in page.context["form"].fields["meeting"].queryset] == ["Meeting of May"]

    response = facilitator_client.post(f"/themes/{theme.pk}/schedule/", {"meeting": meeting.pk})

    assert response.status_code == 302
    theme.refresh_from_db()
    item = AgendaItem.objects.get(meeting=meeting)
    assert (theme.state, theme.meeting, theme.agenda_item, item.kind) == (
        ThemeState.SCHEDULED,
        meeting,
        item,
        AgendaKind.HUMAN_BOOKSTORE,
    )
    assert list(item.leads.all()) == [role.member]
    assert "Scheduled on" in facilitator_client.get(f"/themes/{theme.pk}/").content.decode()


def test_scheduling_on_a_draft_meeting_is_a_form_error(facilitator_client):
    theme = ThemeFactory()
    draft = MeetingFactory(state=MeetingState.DRAFT)

    response = facilitator_client.post(f"/themes/{theme.pk}/schedule/", {"meeting": draft.pk})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["meeting"]
    assert Theme.objects.get(pk=theme.pk).state == ThemeState.PROPOSED


def test_declining_without_a_reason_is_a_form_error(facilitator_client):
    theme = ThemeFactory()

    response = facilitator_client.post(f"/themes/{theme.pk}/state/declined/", {"note": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {"note": ["This field is required."]}
    assert Theme.objects.get(pk=theme.pk).state == ThemeState.PROPOSED


def test_facilitator_declines_with_a_reason_shown_on_the_page(facilitator_client, facilitator):
    theme = ThemeFactory()

    response = facilitator_client.post(f"/themes/{theme.pk}/state/declined/", {"note": "Covered by the guide."})

    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.state, theme.state_note, theme.state_changed_by) == ("declined", "Covered by the guide.", facilitator)
    assert "Covered by the guide." in facilitator_client.get(f"/themes/{theme.pk}/").content.decode()


def test_proposer_withdraws_after_confirming(client):
    theme = ThemeFactory()
    client.force_login(theme.proposer)

    assert client.get(f"/themes/{theme.pk}/state/withdrawn/").status_code == 200
    response = client.post(f"/themes/{theme.pk}/state/withdrawn/", {"note": ""})

    assert response.status_code == 302
    assert list(ThemeTransition.objects.values_list("from_state", "to_state", "by")) == [
        ("proposed", "withdrawn", theme.proposer.pk)
    ]


def test_facilitator_takes_a_theme_off_its_meeting(facilitator_client):
    theme = ThemeFactory()
    meeting = MeetingFactory()
    facilitator_client.post(f"/themes/{theme.pk}/schedule/", {"meeting": meeting.pk})

    response = facilitator_client.post(f"/themes/{theme.pk}/state/proposed/", {"note": "Presenter ill."})

    assert response.status_code == 302
    theme.refresh_from_db()
    item = AgendaItem.objects.get(meeting=meeting)
    assert (theme.state, theme.meeting, theme.agenda_item) == (ThemeState.PROPOSED, None, None)
    assert (item.title, list(item.leads.all())) == ("Human bookstore", [])


def test_proposer_rewords_a_scheduled_theme_and_the_agenda_follows(client, facilitator_client):
    theme = ThemeFactory(title="Old title")
    meeting = MeetingFactory()
    facilitator_client.post(f"/themes/{theme.pk}/schedule/", {"meeting": meeting.pk})
    client.force_login(theme.proposer)

    response = client.post(
        f"/themes/{theme.pk}/edit/",
        {"title": "New title", "summary": "New summary", "reason": "question", "topics": "GDPR"},
    )

    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.title, theme.summary, theme.reason, list(theme.topics.names())) == (
        "New title",
        "New summary",
        "question",
        ["GDPR"],
    )
    assert AgendaItem.objects.get(meeting=meeting).title == "New title"


def test_presented_theme_cannot_be_edited_by_its_proposer(client):
    theme = ThemeFactory(state=ThemeState.PRESENTED)
    client.force_login(theme.proposer)
    assert client.get(f"/themes/{theme.pk}/edit/").status_code == 404


def test_interest_from_a_backlog_card_with_htmx(member_client, member):
    theme = ThemeFactory()
    page = member_client.get("/themes/").content.decode()
    assert f'hx-post="/themes/{theme.pk}/interest/"' in page

    response = member_client.post(
        f"/themes/{theme.pk}/interest/", {"interested": "1", "next": "/themes/?sort=interest"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert 'name="next" value="/themes/?sort=interest"' in response.content.decode()
    assert list(theme.interests.values_list("member", flat=True)) == [member.pk]


def test_plain_interest_form_returns_to_the_page_it_came_from(member_client):
    theme = ThemeFactory()
    response = member_client.post(
        f"/themes/{theme.pk}/interest/", {"interested": "1", "next": "/themes/?sort=interest"}
    )
    assert response["Location"] == "/themes/?sort=interest"
    response = member_client.post(f"/themes/{theme.pk}/interest/", {"interested": "1", "next": "https://evil.example/"})
    assert response["Location"] == f"/themes/{theme.pk}/"
