"""Helpers shared by the meeting services: lock a meeting row, attribute its revisions, copy fresh values back."""

from collections.abc import Iterable

from community.models import User

from ..models import Meeting


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _record(meeting: Meeting, *, by: User | None, reason: str) -> None:
    """Attribute the next save of ``meeting`` (its history revision) to ``by``, with a reason."""
    meeting._history_user = by
    meeting._change_reason = reason


def _note_change(meeting: Meeting, *, by: User, reason: str) -> None:
    """Leave a revision in the meeting's history for a change made to what it holds
    (agenda items, resources), so the meeting's trail says who did it."""
    _record(meeting, by=by, reason=reason)
    meeting.save(update_fields=["updated_at"])


def _refresh(target: Meeting, source: Meeting, fields: Iterable[str]) -> None:
    for field in fields:
        setattr(target, field, getattr(source, field))
