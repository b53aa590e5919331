"""Permission predicates for themes, shared by views, templates and the admin."""

import rules

from community.rules import is_facilitator, is_member

from .enums import OPEN_STATES, PRESENTING_STATUSES, ThemeState


def _roles(theme):
    """The theme's presenter roles, from a prefetch when the page made one."""
    cache = getattr(theme, "_prefetched_objects_cache", {})
    if "presenter_roles" in cache:
        return list(cache["presenter_roles"])
    return list(theme.presenter_roles.all())


@rules.predicate
def is_proposer(user, theme) -> bool:
    # The admin asks without an object ("may this user change themes at all?").
    return bool(theme is not None and user and user.is_authenticated and theme.proposer_id == user.pk)


@rules.predicate
def is_presenter(user, theme) -> bool:
    if theme is None or not (user and user.is_authenticated):
        return False
    return any(role.member_id == user.pk and role.status in PRESENTING_STATUSES for role in _roles(theme))


@rules.predicate
def is_open(user, theme) -> bool:
    return theme is not None and theme.state in OPEN_STATES


@rules.predicate
def is_proposed(user, theme) -> bool:
    return theme is not None and theme.state == ThemeState.PROPOSED


# The proposer may reword a theme until it is presented; facilitators at any time.
can_edit_theme = is_member & ((is_proposer & is_open) | is_facilitator)
can_edit_sheet = is_member & is_presenter
can_volunteer = is_member & is_open
can_answer_questions = is_member & (is_presenter | is_facilitator)

# Codenames never reuse Django's add/change/delete/view_<model> (see meetings/rules.py).
rules.add_perm("themes.see_theme", is_member)
rules.add_perm("themes.propose_theme", is_member)
rules.add_perm("themes.edit_theme", can_edit_theme)
rules.add_perm("themes.schedule_theme", is_facilitator)
rules.add_perm("themes.edit_sheet", can_edit_sheet)
rules.add_perm("themes.volunteer", can_volunteer)
rules.add_perm("themes.answer_question", can_answer_questions)
rules.add_perm("themes.hide_question", is_facilitator)

# The admin: facilitators correct themes there (staff members only look them up, with see_theme).
rules.add_perm("themes.curate_themes", is_facilitator)
