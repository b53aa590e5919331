"""Every write of speed networking: set-up, draw and swaps (``setup``), the states, live clock,
encounters and follow-ups (``live``). Callers import from here."""

from .common import (
    FORMER_MEMBER,
    NetworkingError,
)
from .live import (
    ALLOWED_MOVES,
    ROUND_ACTIONS,
    follow_up_delete,
    follow_up_save,
    member_data_erase,
    session_round_control,
    session_transition,
)
from .setup import (
    DEFAULT_DECKS,
    Guest,
    default_deck,
    session_create,
    session_draw,
    session_quality_refresh,
    session_swap,
    session_update,
)

__all__ = [
    "ALLOWED_MOVES",
    "DEFAULT_DECKS",
    "FORMER_MEMBER",
    "ROUND_ACTIONS",
    "Guest",
    "NetworkingError",
    "default_deck",
    "follow_up_delete",
    "follow_up_save",
    "member_data_erase",
    "session_create",
    "session_draw",
    "session_quality_refresh",
    "session_round_control",
    "session_swap",
    "session_transition",
    "session_update",
]
