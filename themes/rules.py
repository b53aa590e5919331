"""Permission predicates for themes, shared by views, templates and the admin."""

import rules

from community.rules import is_facilitator, is_member

from .enums import MAX_PRESENTERS, OPEN_STATES, PRESENTING_STATUSES, SLOT_STATUSES, PresenterStatus, ThemeState


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


@rules.predicate
def sheet_is_open(user, theme) -> bool:
    """Presenters write the sheet before the session and may complete it just after."""
    return theme is not None and theme.state in (*OPEN_STATES, ThemeState.PRESENTED)


@rules.predicate
def has_free_slot(user, theme) -> bool:
    return theme is not None and sum(role.status in SLOT_STATUSES for role in _roles(theme)) < MAX_PRESENTERS


@rules.predicate
def holds_slot(user, theme) -> bool:
    """Volunteered, invited or confirmed: the user already has (or is offered) a place."""
    if theme is None or not (user and user.is_authenticated):
        return False
    return any(role.member_id == user.pk and role.status in SLOT_STATUSES for role in _roles(theme))


@rules.predicate
def is_role_holder(user, role) -> bool:
    return bool(role is not None and user and user.is_authenticated and role.member_id == user.pk)


@rules.predicate
def role_in_slot(user, role) -> bool:
    return role is not None and role.status in SLOT_STATUSES


@rules.predicate
def role_volunteered(user, role) -> bool:
    return role is not None and role.status == PresenterStatus.VOLUNTEERED


# The proposer may reword a theme until it is presented; facilitators at any time.
can_edit_theme = is_member & ((is_proposer & is_open) | is_facilitator)
can_edit_sheet = is_member & is_presenter & sheet_is_open
# The pages accept an offer while the theme is open (the service tells when the places are
# taken); the theme page shows the button only while a place is free.
can_volunteer = is_member & is_open
can_invite = is_member & is_open & is_presenter
can_confirm_presenter = is_facilitator & role_volunteered
can_remove_presenter = is_member & (is_facilitator | is_role_holder) & role_in_slot
can_answer_questions = is_member & (is_presenter | is_facilitator)
# Interest, questions and votes are collected while the theme is open (proposed or scheduled).
can_show_interest = is_member & is_open
can_ask_question = is_member & is_open
can_vote_question = is_member & is_open

# Codenames never reuse Django's add/change/delete/view_<model> (see meetings/rules.py).
rules.add_perm("themes.see_theme", is_member)
rules.add_perm("themes.propose_theme", is_member)
rules.add_perm("themes.edit_theme", can_edit_theme)
rules.add_perm("themes.schedule_theme", is_facilitator)
rules.add_perm("themes.edit_sheet", can_edit_sheet)
rules.add_perm("themes.volunteer", can_volunteer)
rules.add_perm("themes.invite_presenter", can_invite)
rules.add_perm("themes.confirm_presenter", can_confirm_presenter)
rules.add_perm("themes.remove_presenter", can_remove_presenter)
rules.add_perm("themes.answer_question", can_answer_questions)
rules.add_perm("themes.hide_question", is_facilitator)
rules.add_perm("themes.see_hidden_questions", is_facilitator)
rules.add_perm("themes.show_interest", can_show_interest)
rules.add_perm("themes.ask_question", can_ask_question)
rules.add_perm("themes.vote_question", can_vote_question)

# The admin: facilitators correct themes there (staff members only look them up, with see_theme).
rules.add_perm("themes.curate_themes", is_facilitator)
