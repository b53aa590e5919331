"""Helpers shared by the meeting services: lock a meeting row, copy fresh values back."""

from collections.abc import Iterable

from ..models import Meeting


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _refresh(target: Meeting, source: Meeting, fields: Iterable[str]) -> None:
    for field in fields:
        setattr(target, field, getattr(source, field))
