"""Permission predicates shared by views, templates and the admin."""

import rules

from .enums import FACILITATORS_GROUP, GUIDE_EDITORS_GROUP, MemberState


@rules.predicate
def is_approved_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.state == MemberState.APPROVED)


def _in_group(user, name: str) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    # Cache the group names on the user object: templates ask several times per page.
    cached = getattr(user, "_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._group_names = cached
    return name in cached


@rules.predicate
def is_facilitator(user) -> bool:
    return _in_group(user, FACILITATORS_GROUP)


@rules.predicate
def is_guide_editor(user) -> bool:
    return _in_group(user, GUIDE_EDITORS_GROUP)


is_member = is_approved_member | is_facilitator

rules.add_perm("community.view_members", is_member)
rules.add_perm("community.approve_members", is_facilitator)
rules.add_perm("community.read_audit_trail", is_facilitator)


@rules.predicate
def is_self(user, member) -> bool:
    return bool(member is not None and user.is_authenticated and user.pk == member.pk)


@rules.predicate
def is_visible_member(user, member) -> bool:
    """Approved members see approved members; facilitators see every account (to approve it)."""
    return member is not None and member.is_approved


can_view_profile = is_self | is_facilitator | (is_member & is_visible_member)

rules.add_perm("community.view_profile", can_view_profile)

# The admin: facilitators (staff) manage centres and look at accounts; changing an account's
# fields stays with superusers, membership moves go through the admin actions. Codenames never
# reuse Django's add/change/delete/view_<model>: each admin class names the rule it asks.
rules.add_perm("community.manage_centres", is_facilitator)
# The admin's own door is staff status: a link into the admin's centres shows only when both open.
rules.add_perm("community.manage_centres_in_admin", rules.is_active & rules.is_staff & is_facilitator)
rules.add_perm("community.see_accounts", is_facilitator)
rules.add_perm("community.move_memberships", is_facilitator)
rules.add_perm("community.pair_buddies", is_facilitator)
