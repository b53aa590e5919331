"""What the human bookstore adds to the composed pages (listed in ``portal.composition``)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from community.rules import is_facilitator, is_member
from meetings.enums import MeetingState

from . import selectors
from .models import PresenterRole, Question, QuestionVote, SheetAttachment, Theme, ThemeInterest


def dashboard_panels(user) -> list[dict]:
    return [
        {
            "template": "themes/includes/_dashboard_panel.html",
            "themes": selectors.themes_looking_for_presenters(user=user),
        }
    ]


def first_steps(member) -> list[dict]:
    """A newcomer's first step in the human bookstore: show interest in a theme."""
    return [
        {
            "key": "theme",
            "label": gettext("Show interest in a theme"),
            "url": reverse("themes:list"),
            "done": ThemeInterest.objects.filter(member=member).exists(),
        }
    ]


def digest_sections(member, windows) -> list[dict]:
    """Themes looking for presenters and new questions on followed themes, in the ``theme_updates`` window."""
    window = windows.get("theme_updates")
    if window is None:
        return []
    looking, asked = selectors.theme_news_between(member=member, start=window[0], end=window[1])
    return [
        {
            "topic": "theme_updates",
            "title": gettext("Themes looking for presenters"),
            "items": [{"title": theme.title, "path": reverse("themes:detail", args=[theme.pk])} for theme in looking],
        },
        {
            "topic": "theme_updates",
            "title": gettext("New questions on themes you follow"),
            "items": [
                {
                    "title": theme.title,
                    "path": reverse("themes:detail", args=[theme.pk]) + "#questions",
                    "note": ngettext("%(count)d new question", "%(count)d new questions", theme.new_questions)
                    % {"count": theme.new_questions},
                }
                for theme in asked
            ],
        },
    ]


def profile_sections(member, viewer) -> list[dict]:
    if not is_member(viewer):
        return []
    return [{"template": "themes/includes/_profile_section.html", **selectors.member_themes(member=member)}]


def meeting_sections(meeting, viewer) -> list[dict]:
    themes = selectors.themes_for_meeting(meeting=meeting)
    can_place = (
        is_facilitator(viewer) and meeting.state == MeetingState.PUBLISHED and meeting.starts_at > timezone.now()
    )
    if not themes and not can_place:
        return []
    return [{"template": "themes/includes/_meeting_section.html", "themes": themes, "can_place": can_place}]


def search(query: str, user) -> list[dict]:
    if not is_member(user):
        return []
    themes = selectors.theme_list(user=user, params={"q": query, "status": "all", "sort": "interest"})[:20]
    return [
        {
            "kind": _("Themes"),
            "title": theme.title,
            "url": reverse("themes:detail", args=[theme.pk]),
            "excerpt": theme.summary,
        }
        for theme in themes
    ]


def export_personal_data(user) -> dict:
    def when(value):
        return value.isoformat() if value else None

    proposed = Theme.objects.filter(proposer=user).prefetch_related("topics").order_by("pk")
    interests = ThemeInterest.objects.filter(member=user).select_related("theme").order_by("pk")
    roles = PresenterRole.objects.filter(member=user).select_related("theme", "theme__sheet").order_by("pk")
    questions = Question.objects.filter(author=user).select_related("theme").order_by("pk")
    answered = Question.objects.filter(answered_by=user).exclude(answer="").select_related("theme").order_by("pk")
    votes = QuestionVote.objects.filter(member=user).select_related("question").order_by("pk")
    attachments = SheetAttachment.objects.filter(added_by=user).select_related("sheet__theme").order_by("pk")
    return {
        "themes": {
            "proposed": [
                {
                    "title": t.title,
                    "summary": t.summary,
                    "reason": t.reason,
                    "state": t.state,
                    "topics": sorted(topic.name for topic in t.topics.all()),
                    "created_at": when(t.created_at),
                }
                for t in proposed
            ],
            "interest": [{"theme": i.theme.title, "since": when(i.created_at)} for i in interests],
            "presenter_roles": [
                {"theme": r.theme.title, "status": r.status, "pitch": r.pitch, "since": when(r.created_at)}
                for r in roles
            ],
            "experience_sheets": [
                {
                    "theme": r.theme.title,
                    "activity": sheet.activity,
                    "strengths": sheet.strengths,
                    "weaknesses": sheet.weaknesses,
                    "transferability": sheet.transferability,
                }
                for r in roles
                if (sheet := r.theme.sheet_or_none) is not None
            ],
            "sheet_links_and_files": [
                {"theme": a.sheet.theme.title, "title": a.title, "url": a.url, "file": a.file.name or ""}
                for a in attachments
            ],
            "questions": [
                {"theme": q.theme.title, "question": q.body, "asked_at": when(q.created_at)} for q in questions
            ],
            "replies": [{"theme": q.theme.title, "question": q.body, "reply": q.answer} for q in answered],
            "question_votes": [v.question.body for v in votes],
        }
    }


def seed_demo(stdout) -> None:
    from .seed import seed_themes

    seed_themes(stdout)
