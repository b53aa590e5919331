"""How themes follow a meeting's lifecycle (connected in ``ThemesConfig.ready``; see ``meetings.signals``)."""

from django.utils.translation import gettext_lazy as _

from . import services
from .enums import ThemeState
from .models import Theme


def backlog_on_cancel(sender, *, meeting, by, **kwargs) -> None:
    """Themes placed on a cancelled meeting go back to the backlog, to be placed on another date.

    Runs inside the cancelling transaction: if the cancellation rolls back, so do these moves.
    """
    for theme in Theme.objects.filter(meeting=meeting, state=ThemeState.SCHEDULED).order_by("pk"):
        services.theme_transition(theme=theme, to=ThemeState.PROPOSED, by=by, note=str(_("The meeting was cancelled.")))
