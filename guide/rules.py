"""Permission predicates of the guide."""

import rules

from community.rules import is_guide_editor, is_member

from .enums import DELETABLE_STATES, EDITABLE_STATES, Actor, ContributionState
from .services import TRANSITIONS


@rules.predicate
def is_author(user, contribution) -> bool:
    return bool(contribution and user and user.is_authenticated and contribution.author_id == user.pk)


@rules.predicate
def is_coauthor(user, contribution) -> bool:
    """A co-author who consented (``viewer_is_coauthor`` when the selector set it, else one query)."""
    if not (contribution and user and user.is_authenticated):
        return False
    known = getattr(contribution, "viewer_is_coauthor", None)
    if known is not None:
        return known
    return contribution.coauthors.filter(member=user, consented_at__isnull=False).exists()


@rules.predicate
def is_editable(user, contribution) -> bool:
    return bool(contribution and contribution.state in EDITABLE_STATES)


@rules.predicate
def is_deletable(user, contribution) -> bool:
    return bool(contribution and contribution.state in DELETABLE_STATES)


def _author_move_to(to: str):
    """True when the workflow table lets the author move the contribution from its state to ``to``."""
    sources = frozenset(frm for (frm, dest), move in TRANSITIONS.items() if dest == to and move.actor == Actor.AUTHOR)

    @rules.predicate(name=f"author_may_move_to_{to}")
    def predicate(user, contribution) -> bool:
        return bool(contribution and contribution.state in sources)

    return predicate


can_contribute = is_member
can_edit_contribution = is_member & (is_author | is_coauthor) & is_editable
can_submit_contribution = is_member & is_author & _author_move_to(ContributionState.SUBMITTED)
can_withdraw_contribution = is_member & is_author & _author_move_to(ContributionState.DRAFT)
can_delete_draft = is_member & is_author & is_deletable
can_review = is_guide_editor

rules.add_perm("guide.contribute", can_contribute)
rules.add_perm("guide.edit_contribution", can_edit_contribution)
rules.add_perm("guide.submit_contribution", can_submit_contribution)
rules.add_perm("guide.withdraw_contribution", can_withdraw_contribution)
rules.add_perm("guide.delete_draft", can_delete_draft)
rules.add_perm("guide.review", can_review)
