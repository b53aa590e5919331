"""Who presents a theme: volunteers, invitations, answers, confirmation and removal (two slots)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import audit
from community.enums import AuditKind
from community.rules import is_facilitator

from ..enums import (
    MAX_PRESENTERS,
    OPEN_STATES,
    PRESENTING_STATUSES,
    SLOT_STATUSES,
    PresenterStatus,
)
from ..models import (
    PresenterRole,
    Theme,
)
from .lifecycle import ThemeError, _sync_leads, theme_counts_refresh


def _lock_roles(theme: Theme) -> tuple[Theme, list[PresenterRole]]:
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    return theme, list(PresenterRole.objects.select_for_update().filter(theme=theme))


def _free_slot(roles: list[PresenterRole]) -> int | None:
    taken = {role.slot for role in roles if role.slot}
    return next((slot for slot in range(1, MAX_PRESENTERS + 1) if slot not in taken), None)


def _take_slot(*, theme: Theme, member, roles: list[PresenterRole], status: str, **fields) -> PresenterRole:
    """Give ``member`` a free slot; the (theme, slot) constraint refuses a third presenter."""
    full = ThemeError(_("This theme already has two presenters."))
    slot = _free_slot(roles)
    if slot is None:
        raise full
    role = next((r for r in roles if r.member_id == member.pk), None) or PresenterRole(theme=theme, member=member)
    role.status, role.slot = status, slot
    role.status_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(role, name, value)
    try:
        with transaction.atomic():
            role.save()
    except IntegrityError as exc:
        raise full from exc
    return role


@transaction.atomic
def presenter_volunteer(*, theme: Theme, member, pitch: str = "") -> PresenterRole:
    """Offer to lead a theme's session. At most two presenters, even under concurrent offers.

    A member who was invited accepts the invitation this way. Side effects: the
    scheduled meeting's agenda item lists the new presenter.
    """
    theme, roles = _lock_roles(theme)
    if theme.state not in OPEN_STATES:
        raise ThemeError(_("This theme no longer looks for presenters."))
    mine = next((r for r in roles if r.member_id == member.pk), None)
    if mine and mine.status in PRESENTING_STATUSES:
        raise ThemeError(_("You already volunteered to present this theme."))
    if mine and mine.status == PresenterStatus.INVITED:
        mine.status, mine.pitch = PresenterStatus.VOLUNTEERED, pitch or mine.pitch
        mine.status_changed_at, mine.status_changed_by = timezone.now(), member
        mine.save(update_fields=["status", "pitch", "status_changed_at", "status_changed_by"])
        role = mine
    else:
        role = _take_slot(
            theme=theme,
            member=member,
            roles=roles,
            status=PresenterStatus.VOLUNTEERED,
            pitch=pitch,
            status_changed_by=member,
        )
    theme_counts_refresh(theme_ids=[theme.pk])
    _sync_leads(theme)
    return role


@transaction.atomic
def presenter_invite(*, theme: Theme, by, member) -> PresenterRole:
    """A presenter invites a co-presenter, who holds the second slot until they answer.

    Side effects: after commit, an email to the invited member.
    """
    theme, roles = _lock_roles(theme)
    if theme.state not in OPEN_STATES:
        raise ThemeError(_("This theme no longer looks for presenters."))
    if not any(r.member_id == by.pk and r.status in PRESENTING_STATUSES for r in roles):
        raise ThemeError(_("Only a presenter of this theme can invite a co-presenter."))
    if member.pk == by.pk or not member.is_approved:
        raise ThemeError(_("Choose another member of the community."))
    mine = next((r for r in roles if r.member_id == member.pk), None)
    if mine and mine.status in SLOT_STATUSES:
        raise ThemeError(_("%(name)s is already a presenter of this theme.") % {"name": member})
    role = _take_slot(
        theme=theme,
        member=member,
        roles=roles,
        status=PresenterStatus.INVITED,
        invited_by=by,
        pitch="",
        status_changed_by=by,
    )
    theme_counts_refresh(theme_ids=[theme.pk])
    from ..tasks import notify_presenter_invitation

    transaction.on_commit(lambda: notify_presenter_invitation.delay(role_id=role.pk))
    return role


@transaction.atomic
def presenter_respond(*, theme: Theme, member, accept: bool) -> PresenterRole:
    """The invited member accepts (becomes a presenter) or declines (frees the slot)."""
    theme, roles = _lock_roles(theme)
    role = next((r for r in roles if r.member_id == member.pk and r.status == PresenterStatus.INVITED), None)
    if role is None:
        raise ThemeError(_("There is no invitation waiting for your answer."))
    if accept and theme.state not in OPEN_STATES:
        raise ThemeError(_("This theme no longer looks for presenters."))
    role.status = PresenterStatus.VOLUNTEERED if accept else PresenterStatus.DECLINED
    role.slot = role.slot if accept else None
    role.status_changed_at, role.status_changed_by = timezone.now(), member
    role.save(update_fields=["status", "slot", "status_changed_at", "status_changed_by"])
    theme_counts_refresh(theme_ids=[theme.pk])
    _sync_leads(theme)
    return role


@transaction.atomic
def presenter_confirm(*, role: PresenterRole, by) -> PresenterRole:
    """A facilitator confirms a volunteer as presenter."""
    if not is_facilitator(by):
        raise ThemeError(_("Only a facilitator can do this."))
    role = PresenterRole.objects.select_for_update().get(pk=role.pk)
    if role.status != PresenterStatus.VOLUNTEERED:
        raise ThemeError(_("Only a volunteer can be confirmed."))
    role.status, role.status_changed_at, role.status_changed_by = PresenterStatus.CONFIRMED, timezone.now(), by
    role.save(update_fields=["status", "status_changed_at", "status_changed_by"])
    _sync_leads(role.theme)
    return role


@transaction.atomic
def presenter_remove(*, role: PresenterRole, by) -> PresenterRole:
    """A facilitator removes a presenter (or an invitation), or a presenter steps down.

    Side effects: the slot is freed and the scheduled agenda item loses that lead; a removal by
    a facilitator is recorded in the audit trail.
    """
    # The theme's lock first, as the other presenter services take it, so the recount is exact.
    Theme.objects.select_for_update().filter(pk=role.theme_id).first()
    role = PresenterRole.objects.select_for_update().get(pk=role.pk)
    if not (is_facilitator(by) or role.member_id == by.pk):
        raise ThemeError(_("Only a facilitator can do this."))
    if role.status not in SLOT_STATUSES:
        raise ThemeError(_("This member is not a presenter of this theme."))
    role.status, role.slot = PresenterStatus.REMOVED, None
    role.status_changed_at, role.status_changed_by = timezone.now(), by
    role.save(update_fields=["status", "slot", "status_changed_at", "status_changed_by"])
    theme_counts_refresh(theme_ids=[role.theme_id])
    if role.member_id != by.pk:  # stepping down is the presenter's own choice, not a decision on them
        audit.record(kind=AuditKind.PRESENTER_REMOVED, actor=by, target=role.theme, note=str(role.member or ""))
    _sync_leads(role.theme)
    return role
