import io
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from community.tests.factories import UserFactory
from community.tests.factories import facilitator as make_facilitator
from meetings.enums import AgendaKind, MeetingState
from meetings.models import AgendaItem
from themes import hooks, services
from themes.enums import PresenterStatus, ThemeState
from themes.models import ExperienceSheet, PresenterRole, Question, QuestionVote, SheetAttachment, Theme, ThemeInterest
from themes.tests.factories import MeetingFactory, QuestionFactory, ThemeFactory, presenter

pytestmark = pytest.mark.django_db


def _render(section: dict, viewer) -> str:
    request = RequestFactory().get("/")
    request.user = viewer
    return render_to_string(section["template"], {"section": section, "panel": section, "user": viewer}, request)


def test_meeting_sections_show_the_themes_with_presenters_and_sheets(member):
    meeting = MeetingFactory()
    theme = ThemeFactory(title="Gamified speed networking")
    first = presenter(theme, UserFactory(display_name="Kofi Mensah"))
    presenter(theme, UserFactory(display_name="Ana Lima"), status=PresenterStatus.INVITED)
    sheet = ExperienceSheet.objects.create(theme=theme, activity="Seven-minute rounds", strengths="Energy")
    SheetAttachment.objects.create(sheet=sheet, title="Conversation cards", url="https://example.org/cards")
    services.theme_transition(theme=theme, to=ThemeState.SCHEDULED, by=make_facilitator(), meeting=meeting)
    ThemeFactory(title="Elsewhere")

    sections = [s for s in hooks.meeting_sections(meeting, member) if s["template"].startswith("themes/")]

    assert [s["template"] for s in sections] == ["themes/includes/_meeting_section.html"]
    assert [t.title for t in sections[0]["themes"]] == ["Gamified speed networking"]
    html = _render(sections[0], member)
    assert f'href="/themes/{theme.pk}/"' in html
    assert first.member.display_name in html
    assert "Ana Lima" not in html  # an invitation is not a presenter yet
    assert "Seven-minute rounds" in html
    assert 'href="https://example.org/cards"' in html


def test_meeting_without_themes_shows_nothing_to_members_and_the_backlog_to_facilitators(member):
    meeting = MeetingFactory()
    assert hooks.meeting_sections(meeting, member) == []

    fac = make_facilitator()
    [section] = hooks.meeting_sections(meeting, fac)
    html = _render(section, fac)
    assert "No theme placed on this meeting yet." in html
    assert 'href="/themes/?sort=interest"' in html


def test_meeting_section_query_count_does_not_grow(member, django_assert_max_num_queries):
    meeting = MeetingFactory()
    for index in range(5):
        theme = ThemeFactory()
        presenter(theme), presenter(theme)
        sheet = ExperienceSheet.objects.create(theme=theme, activity=f"a{index}")
        SheetAttachment.objects.create(sheet=sheet, title="x", url="https://example.org")
        Theme.objects.filter(pk=theme.pk).update(meeting=meeting, state=ThemeState.SCHEDULED)
    with django_assert_max_num_queries(4):
        _render(hooks.meeting_sections(meeting, member)[0], member)


def test_dashboard_lists_themes_looking_for_presenters(member_client):
    looking = ThemeFactory(title="Needs a presenter")
    full = ThemeFactory(title="Has two presenters")
    presenter(full), presenter(full)
    ThemeFactory(title="Declined one", state=ThemeState.DECLINED)

    html = member_client.get("/").content.decode()

    assert "Themes looking for presenters" in html
    assert f'href="/themes/{looking.pk}/"' in html
    assert "Has two presenters" not in html
    assert "Declined one" not in html


def test_profile_sections_list_themes_proposed_and_presented(member):
    proposed = ThemeFactory(proposer=member, title="Mine")
    presented = ThemeFactory(title="I presented", state=ThemeState.PRESENTED)
    presenter(presented, member)
    ThemeFactory(proposer=member, title="Withdrawn", state=ThemeState.WITHDRAWN)

    [section] = hooks.profile_sections(member, UserFactory())

    assert [t.title for t in section["proposed"]] == [proposed.title]
    assert [t.title for t in section["presented"]] == [presented.title]
    html = _render(section, member)
    assert "Themes proposed" in html and "I presented" in html


def test_search_hook_finds_themes_for_members_only(member, pending):
    ThemeFactory(title="Respecting GDPR", summary="Consent.")
    results = hooks.search("gdpr", member)
    assert [(str(r["kind"]), r["title"]) for r in results] == [("Themes", "Respecting GDPR")]
    assert results[0]["url"].startswith("/themes/")
    assert hooks.search("gdpr", pending) == []


def test_search_page_shows_themes(member_client):
    theme = ThemeFactory(title="Partner breakfasts")
    html = member_client.get("/search/?q=breakfasts").content.decode()
    assert f'href="/themes/{theme.pk}/"' in html


def test_export_contains_the_members_theme_data(member):
    theme = services.theme_propose(proposer=member, title="Mine", summary="s", reason="question", topics=["GDPR"])
    other = ThemeFactory(title="Theirs")
    services.theme_set_interest(theme=other, member=member, interested=True)
    services.presenter_volunteer(theme=other, member=member, pitch="I did it")
    services.sheet_update(theme=other, by=member, activity="A", strengths="S", weaknesses="W", transferability="T")
    services.question_ask(theme=theme, author=member, body="Why?")
    QuestionVote.objects.create(question=QuestionFactory(theme=other), member=member)

    data = hooks.export_personal_data(member)["themes"]

    assert [(t["title"], t["topics"]) for t in data["proposed"]] == [("Mine", ["GDPR"])]
    assert [i["theme"] for i in data["interest"]] == ["Theirs"]
    assert [(r["theme"], r["status"], r["pitch"]) for r in data["presenter_roles"]] == [
        ("Theirs", "volunteered", "I did it")
    ]
    assert data["experience_sheets"] == [
        {"theme": "Theirs", "activity": "A", "strengths": "S", "weaknesses": "W", "transferability": "T"}
    ]
    assert [(q["theme"], q["question"]) for q in data["questions"]] == [("Mine", "Why?")]
    assert len(data["question_votes"]) == 1


def test_erasing_a_member_keeps_themes_and_questions_credited_to_a_former_member(member, member_client):
    theme = ThemeFactory(proposer=member, title="Kept")
    question = QuestionFactory(theme=theme, author=member)
    upcoming = ThemeFactory(title="Upcoming")
    presenter(upcoming, member)
    past = ThemeFactory(title="Past", state=ThemeState.PRESENTED)
    presenter(past, member)
    services.theme_set_interest(theme=upcoming, member=member, interested=True)

    services.member_data_erase(member=member)
    member.delete()

    theme.refresh_from_db()
    question.refresh_from_db()
    assert (theme.title, theme.proposer, question.author) == ("Kept", None, None)
    assert list(PresenterRole.objects.filter(theme=upcoming).values_list("member", "status", "slot")) == [
        (None, "removed", None)
    ]
    assert list(PresenterRole.objects.filter(theme=past).values_list("member", "status", "slot")) == [
        (None, "confirmed", 1)
    ]
    assert ThemeInterest.objects.count() == 0
    reader = UserFactory()
    member_client.force_login(reader)
    html = member_client.get(f"/themes/{theme.pk}/").content.decode()
    assert "Proposed by a former member" in html
    assert "a former member ·" in html


def test_presented_theme_offers_a_guide_contribution(member_client):
    theme = ThemeFactory(state=ThemeState.PRESENTED)
    html = member_client.get(f"/themes/{theme.pk}/").content.decode()
    assert f'href="/guide/contribute/?theme={theme.pk}"' in html
    proposed = ThemeFactory()
    assert "Turn into a guide contribution" not in member_client.get(f"/themes/{proposed.pk}/").content.decode()


def test_seed_demo_creates_themes_in_every_state_and_twice_changes_nothing():
    facilitator = make_facilitator()
    for index in range(6):
        UserFactory()
    now = timezone.now()
    past = [MeetingFactory(starts_at=now - timedelta(days=60 * (i + 1))) for i in range(8)]
    upcoming = MeetingFactory(starts_at=now + timedelta(days=30))
    MeetingFactory(starts_at=now + timedelta(days=40), state=MeetingState.DRAFT)
    AgendaItem.objects.create(meeting=upcoming, kind=AgendaKind.HUMAN_BOOKSTORE, title="Human bookstore")

    # Only the themes' seed: the meetings' own seed would add its history of past meetings.
    hooks.seed_demo(io.StringIO())
    counts = (
        Theme.objects.count(),
        PresenterRole.objects.count(),
        Question.objects.count(),
        AgendaItem.objects.count(),
    )
    hooks.seed_demo(io.StringIO())

    assert (
        Theme.objects.count(),
        PresenterRole.objects.count(),
        Question.objects.count(),
        AgendaItem.objects.count(),
    ) == counts
    assert Theme.objects.count() == 30
    assert set(Theme.objects.values_list("state", flat=True)) == set(ThemeState.values)
    for title in ("Respecting GDPR", "Valorising a partnership", "Gamified speed networking"):
        theme = Theme.objects.get(title__startswith=title)
        assert theme.sheet.activity
    for theme in Theme.objects.filter(state=ThemeState.SCHEDULED):
        assert theme.meeting == upcoming
        assert theme.agenda_item.meeting == upcoming
        assert theme.agenda_item.kind == AgendaKind.HUMAN_BOOKSTORE
    presented = Theme.objects.filter(state__in=[ThemeState.PRESENTED, ThemeState.ARCHIVED], meeting__isnull=False)
    assert sorted(t.meeting.pk for t in presented) == sorted(m.pk for m in past)  # one per past meeting
    assert ThemeInterest.objects.exists() and Question.objects.exists()
    for theme in Theme.objects.prefetch_related("transitions"):
        moments = [t.at for t in sorted(theme.transitions.all(), key=lambda t: t.pk)]
        assert moments == sorted(moments), theme.title  # the history reads in order
        assert theme.created_at == moments[0]
    assert facilitator.pk


def test_seed_demo_records_presenters_of_past_sessions_as_present():
    from meetings.models import Attendance

    for _index in range(6):
        UserFactory()
    past = [MeetingFactory(starts_at=timezone.now() - timedelta(days=60 * (i + 1))) for i in range(3)]

    hooks.seed_demo(io.StringIO())

    presented = Theme.objects.filter(state__in=[ThemeState.PRESENTED, ThemeState.ARCHIVED], meeting__in=past)
    expected = {(t.meeting_id, lead.pk) for t in presented for lead in t.agenda_item.leads.all()}
    assert expected
    assert expected <= set(Attendance.objects.values_list("meeting_id", "member_id"))
