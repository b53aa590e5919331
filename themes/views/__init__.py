"""Theme pages. Views check access, call one selector or service, and render or redirect.

The package re-exports every view for ``themes/urls.py``.
"""

from .common import PAGE_SIZE
from .presenters import invitation_respond, presenter_confirm, presenter_invite, presenter_remove, theme_volunteer
from .questions import question_answer, question_create, question_hide, question_vote
from .sheets import attachment_add, attachment_delete, attachment_file, sheet_edit
from .theme import (
    TRANSITION_TEXTS,
    theme_create,
    theme_detail,
    theme_edit,
    theme_interest,
    theme_list,
    theme_schedule,
    theme_transition,
)

__all__ = [
    "PAGE_SIZE",
    "TRANSITION_TEXTS",
    "attachment_add",
    "attachment_delete",
    "attachment_file",
    "invitation_respond",
    "presenter_confirm",
    "presenter_invite",
    "presenter_remove",
    "question_answer",
    "question_create",
    "question_hide",
    "question_vote",
    "sheet_edit",
    "theme_create",
    "theme_detail",
    "theme_edit",
    "theme_interest",
    "theme_list",
    "theme_schedule",
    "theme_transition",
    "theme_volunteer",
]
