"""How themes follow a meeting's lifecycle (connected in ``ThemesConfig.ready``; see
``meetings.signals``), and what keeps the backlog's cached cards fresh."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from community.fragments import Fragments, watch
from meetings.models import Meeting

from . import services
from .enums import ThemeState
from .models import PresenterRole, TaggedTheme, Theme, ThemeTopic

# The backlog's cards (state, title, summary, topics, presenters, meeting): the same for every
# member, rendered once per version. The counts under each card are read with the page.
CARDS = Fragments("theme-cards")
COUNTS = frozenset({"interest_count", "presenter_count", "updated_at"})


def connect_cards() -> None:
    watch(CARDS, Theme, ignored=COUNTS)
    for model in (PresenterRole, TaggedTheme, ThemeTopic):
        watch(CARDS, model)
    watch(CARDS, get_user_model(), shown=("display_name",))
    watch(CARDS, Meeting, shown=("title", "starts_at"))


def backlog_on_cancel(sender, *, meeting, by, **kwargs) -> None:
    """Themes placed on a cancelled meeting go back to the backlog, to be placed on another date.

    Runs inside the cancelling transaction: if the cancellation rolls back, so do these moves.
    """
    for theme in Theme.objects.filter(meeting=meeting, state=ThemeState.SCHEDULED).order_by("pk"):
        services.theme_transition(theme=theme, to=ThemeState.PROPOSED, by=by, note=str(_("The meeting was cancelled.")))
