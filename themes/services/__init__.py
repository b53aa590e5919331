"""Every write on themes that has rules or side effects.

The package re-exports every public name (``from themes import services``).
"""

from .lifecycle import (
    FACILITATOR,
    PROPOSER,
    TRANSITIONS,
    ThemeError,
    allowed_moves,
    schedulable_meetings,
    theme_propose,
    theme_set_interest,
    theme_transition,
    theme_update,
)
from .personal_data import member_data_erase
from .presenters import presenter_confirm, presenter_invite, presenter_remove, presenter_respond, presenter_volunteer
from .questions import question_answer, question_ask, question_set_hidden, question_vote
from .sheets import sheet_attachment_add, sheet_attachment_delete, sheet_update

__all__ = [
    "FACILITATOR",
    "PROPOSER",
    "TRANSITIONS",
    "ThemeError",
    "allowed_moves",
    "member_data_erase",
    "presenter_confirm",
    "presenter_invite",
    "presenter_remove",
    "presenter_respond",
    "presenter_volunteer",
    "question_answer",
    "question_ask",
    "question_set_hidden",
    "question_vote",
    "schedulable_meetings",
    "sheet_attachment_add",
    "sheet_attachment_delete",
    "sheet_update",
    "theme_propose",
    "theme_set_interest",
    "theme_transition",
    "theme_update",
]
