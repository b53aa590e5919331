"""How themes follow a meeting's lifecycle (connected in ``ThemesConfig.ready``; see
``meetings.signals``), and what keeps the backlog's cached cards fresh."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from community.fragments import watch
from community.models import Organisation
from meetings.models import Meeting

from . import services
from .enums import ThemeState
from .kept import CARDS, COUNTS, PAGES
from .models import (
    ExperienceSheet,
    PresenterRole,
    Question,
    QuestionVote,
    SheetAttachment,
    TaggedTheme,
    Theme,
    ThemeTopic,
    ThemeTransition,
)


def connect_cards() -> None:
    watch(CARDS, Theme, ignored=COUNTS)
    for model in (PresenterRole, TaggedTheme, ThemeTopic):
        watch(CARDS, model)
    watch(CARDS, get_user_model(), shown=("display_name",))
    watch(CARDS, Meeting, shown=("title", "starts_at"))

    watch(PAGES, Theme, ignored=COUNTS)
    shown_on_page = (PresenterRole, TaggedTheme, ThemeTopic, ThemeTransition, ExperienceSheet, SheetAttachment)
    for model in (*shown_on_page, Question, QuestionVote):
        watch(PAGES, model)
    watch(PAGES, get_user_model(), shown=("display_name", "username", "organisation_id", "is_active", "state"))
    watch(PAGES, Organisation, shown=("name", "short_name"))
    watch(PAGES, Meeting, shown=("title", "starts_at", "state"))


def backlog_on_cancel(sender, *, meeting, by, **kwargs) -> None:
    """Themes placed on a cancelled meeting go back to the backlog, to be placed on another date.

    Runs inside the cancelling transaction: if the cancellation rolls back, so do these moves.
    """
    for theme in Theme.objects.filter(meeting=meeting, state=ThemeState.SCHEDULED).order_by("pk"):
        services.theme_transition(theme=theme, to=ThemeState.PROPOSED, by=by, note=str(_("The meeting was cancelled.")))
