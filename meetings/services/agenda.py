"""A meeting's agenda: items added, edited, moved and removed, and the human-bookstore slots."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import translation

from community.fragments import MEMBER_PAGES
from community.models import User

from ..enums import AgendaKind
from ..models import AgendaItem, Meeting
from .common import _lock, _note_change


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    kind: str = AgendaKind.OTHER,
    duration_minutes: int = 20,
    leads: Iterable[User] = (),
) -> AgendaItem:
    """Append an item at the end of the agenda. The meeting's history records ``by``."""
    locked = _lock(meeting)
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
    item = AgendaItem.objects.create(
        meeting=meeting,
        kind=kind,
        title=title,
        duration_minutes=duration_minutes,
        position=0 if last is None else last + 1,
    )
    item.leads.set(leads)
    _note_change(locked, by=by, reason=f"agenda item added: {title}"[:100])
    return item


@transaction.atomic
def agenda_item_update(
    *, item: AgendaItem, by: User, title: str, kind: str, duration_minutes: int, leads: Iterable[User]
) -> AgendaItem:
    """Change an item's title, kind, length and leading members. The meeting's history records ``by``."""
    locked = _lock(item.meeting)
    item.title, item.kind, item.duration_minutes = title, kind, duration_minutes
    item.save(update_fields=["title", "kind", "duration_minutes"])
    item.leads.set(leads)
    _note_change(locked, by=by, reason=f"agenda item changed: {title}"[:100])
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, by: User) -> None:
    """Delete an item (and its minutes) and close the gap in the positions.
    The meeting's history records ``by``."""
    meeting = _lock(item.meeting)
    title = item.title
    item.delete()
    _renumber(meeting)
    _note_change(meeting, by=by, reason=f"agenda item removed: {title}"[:100])


def _renumber(meeting: Meeting) -> list[AgendaItem]:
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))
    for index, each in enumerate(items):
        each.position = index
    AgendaItem.objects.bulk_update(items, ["position"])
    MEMBER_PAGES.changed()  # a bulk write sends no signal
    return items


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, by: User, direction: str) -> None:
    """Swap an item with its neighbour above (``"up"``) or below (``"down"``).
    The meeting's history records ``by``."""
    locked = _lock(item.meeting)
    items = _renumber(item.meeting)
    index = next(i for i, each in enumerate(items) if each.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index].position, items[other].position = items[other].position, items[index].position
        AgendaItem.objects.bulk_update([items[index], items[other]], ["position"])
        MEMBER_PAGES.changed()  # a bulk write sends no signal
        _note_change(locked, by=by, reason=f"agenda item moved {direction}: {item.title}"[:100])


# --- human-bookstore slots, given to the presentations placed on a meeting (by ``themes``) -----


def bookstore_item_claim(*, meeting: Meeting, title: str, leads: Iterable[User], taken) -> AgendaItem:
    """Give a presentation the first free *Human bookstore* item of a meeting, or a new one.

    ``taken`` is a queryset of the item ids already given to other presentations. The
    item is retitled and its leads set; a new item (30 minutes) goes at the end of the
    agenda. Locks the meeting so two presentations placed at once never share an item.
    Call it inside the caller's transaction.
    """
    list(Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk", flat=True))
    item = (
        AgendaItem.objects.select_for_update()
        .filter(meeting=meeting, kind=AgendaKind.HUMAN_BOOKSTORE)
        .exclude(pk__in=taken)
        .order_by("position", "pk")
        .first()
    )
    if item is None:
        last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"]
        item = AgendaItem.objects.create(
            meeting=meeting,
            kind=AgendaKind.HUMAN_BOOKSTORE,
            title=title[:200],
            duration_minutes=30,
            position=(last or 0) + 1,
        )
    else:
        item.title = title[:200]
        item.save(update_fields=["title"])
    item.leads.set(list(leads))
    return item


def bookstore_item_release(*, item_id: int) -> None:
    """A presentation leaves its item: the item gets its standard title back (in the site's
    language) and loses its leads, free for the next one."""
    item = AgendaItem.objects.select_for_update().get(pk=item_id)
    with translation.override(settings.LANGUAGE_CODE):
        item.title = str(AgendaKind.HUMAN_BOOKSTORE.label)
    item.save(update_fields=["title"])
    item.leads.clear()


def agenda_item_retitle(*, item_id: int, title: str) -> None:
    """Follow a new title of what an item presents (truncated to the item's 200 characters)."""
    AgendaItem.objects.filter(pk=item_id).update(title=title[:200])
    MEMBER_PAGES.changed()  # an update sends no signal


def agenda_item_leads_set(*, item_id: int, leads: Iterable[User]) -> None:
    """Make the item's leads exactly these members."""
    AgendaItem.objects.get(pk=item_id).leads.set(list(leads))
