"""Permission predicates of the guide."""

import rules

from community.rules import is_guide_editor, is_member

from .enums import EDITABLE_STATES


@rules.predicate
def is_author(user, contribution) -> bool:
    return bool(contribution and user and user.is_authenticated and contribution.author_id == user.pk)


@rules.predicate
def is_editable(user, contribution) -> bool:
    return bool(contribution and contribution.state in EDITABLE_STATES)


can_contribute = is_member
can_edit_contribution = is_member & is_author & is_editable
can_review = is_guide_editor

rules.add_perm("guide.contribute", can_contribute)
rules.add_perm("guide.edit_contribution", can_edit_contribution)
rules.add_perm("guide.review", can_review)
