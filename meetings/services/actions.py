"""The actions agreed at a meeting: written with the minutes, ticked done by their owner."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.fragments import MEMBER_PAGES
from community.models import User

from ..enums import MeetingState
from ..models import ActionItem, Meeting
from .common import _lock

MAX_ACTIONS = 50


@dataclass(frozen=True)
class ActionChange:
    """One line of the minutes page's actions: ``pk`` None for a new one; ``remove`` to delete it."""

    pk: int | None
    text: str
    owner_id: int | None
    due_on: date | None
    remove: bool = False


def _actions_write(*, meeting: Meeting, changes: list[ActionChange], by: User) -> list[ActionItem]:
    """Create, change and delete the meeting's actions; the caller holds the meeting's lock."""
    existing = {action.pk: action for action in ActionItem.objects.select_for_update().filter(meeting=meeting)}
    owners = {change.owner_id for change in changes if change.owner_id and not change.remove}
    approved = set(User.objects.approved().filter(pk__in=owners).values_list("pk", flat=True))
    removed, created, updated = [], [], []
    for change in changes:
        if change.pk is not None and change.pk not in existing:
            raise ValidationError(_("That action belongs to another meeting."), code="action")
        if change.remove:
            if change.pk is not None:
                removed.append(change.pk)
            continue
        text = change.text.strip()
        if not text:
            continue
        if change.owner_id not in approved:
            raise ValidationError(_("Each action needs an owner among the members."), code="owner")
        if change.pk is None:
            created.append(
                ActionItem(
                    meeting=meeting,
                    text=text,
                    owner_id=change.owner_id,
                    due_on=change.due_on,
                    created_by=by,
                    updated_by=by,
                )
            )
            continue
        action = existing[change.pk]
        if (action.text, action.owner_id, action.due_on) != (text, change.owner_id, change.due_on):
            action.text, action.owner_id, action.due_on, action.updated_by = text, change.owner_id, change.due_on, by
            updated.append(action)
    if len(existing) - len(removed) + len(created) > MAX_ACTIONS:
        raise ValidationError(_("At most %(count)d actions per meeting.") % {"count": MAX_ACTIONS}, code="many")
    ActionItem.objects.filter(pk__in=removed).delete()
    ActionItem.objects.bulk_create(created)
    now = timezone.now()
    for action in updated:
        action.updated_at = now
    ActionItem.objects.bulk_update(updated, ["text", "owner", "due_on", "updated_by", "updated_at"])
    MEMBER_PAGES.changed()  # bulk writes send no signal: the owners' dashboards list their actions
    return list(ActionItem.objects.filter(meeting=meeting).order_by("due_on", "pk"))


@transaction.atomic
def actions_save(*, meeting: Meeting, changes: list[ActionChange], by: User) -> list[ActionItem]:
    """Write the actions of a meeting (new, changed, removed) in one transaction; ``by`` is recorded.

    Each action needs an owner who is an approved member. Returns the meeting's actions. No mail.
    """
    locked = _lock(meeting)
    if locked.state == MeetingState.DRAFT:
        raise ValidationError(_("Actions are for published meetings."), code="draft")
    return _actions_write(meeting=locked, changes=changes, by=by)


def action_done_set(*, action: ActionItem, by: User, done: bool = True) -> ActionItem:
    """Tick an action done (or open it again), recording who and when. Permission: the view's rule
    (the owner, or a facilitator). No mail."""
    with transaction.atomic():
        locked = ActionItem.objects.select_for_update().get(pk=action.pk)
        if done and locked.done_at is None:
            locked.done_at, locked.done_by = timezone.now(), by
        elif not done:
            locked.done_at, locked.done_by = None, None
        locked.updated_by = by
        locked.save(update_fields=["done_at", "done_by", "updated_by", "updated_at"])
    action.done_at, action.done_by = locked.done_at, locked.done_by
    return action
