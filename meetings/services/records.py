"""After (and around) the meeting: attendance, minutes and shared resources."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.fragments import MEMBER_PAGES
from community.models import User

from .. import signals
from ..enums import MeetingState
from ..models import AgendaItem, Attendance, Meeting, Minutes, Resource
from ..uploads import validate_upload
from .actions import ActionChange, _actions_write
from .common import _lock, _note_change, _record, _refresh
from .scheduling import validate_online_url


@transaction.atomic
def attendance_record(*, meeting: Meeting, present: Iterable[User], by: User) -> set[int]:
    """Replace the attendance list of a meeting that has started. Returns the ids present."""
    locked = _lock(meeting)
    if locked.state != MeetingState.PUBLISHED or locked.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded once a published meeting has started."), code="early")
    wanted = {user.pk for user in present}
    existing = set(Attendance.objects.filter(meeting=locked).values_list("member_id", flat=True))
    Attendance.objects.filter(meeting=locked, member_id__in=existing - wanted).delete()
    Attendance.objects.bulk_create(
        Attendance(meeting=locked, member_id=pk, recorded_by=by) for pk in sorted(wanted - existing)
    )
    MEMBER_PAGES.changed()  # a bulk write sends no signal
    return wanted


@transaction.atomic
def minutes_save(*, item: AgendaItem, text: str, by: User) -> Minutes | None:
    """Write the minutes of one agenda item; a revision (who, when, what) is kept for each change.

    Nothing is written (and no revision made) when the text did not change, or when an
    item without minutes is left empty.
    """
    _lock(item.meeting)
    minutes = Minutes.objects.filter(agenda_item=item).first()
    if minutes is None:
        if not text:
            return None
        minutes = Minutes(agenda_item=item)
    elif minutes.text == text:
        return minutes
    minutes.text = text
    minutes.updated_by = by
    minutes._history_user = by
    minutes.save()
    return minutes


@transaction.atomic
def minutes_record(
    *,
    meeting: Meeting,
    texts: Iterable[tuple[AgendaItem, str]],
    by: User,
    publish: bool = False,
    actions: list[ActionChange] | None = None,
) -> Meeting:
    """Write the minutes of several agenda items of one meeting at once, and its actions if given,
    and publish them if asked.

    One transaction: a refusal or a failure on any item or action leaves everything as it was, and
    the summary sent on publication sees the actions written with it.
    Side effects: see ``minutes_save``, ``actions_save`` and ``minutes_publish``.
    """
    locked = _lock(meeting)
    if locked.state == MeetingState.DRAFT:
        raise ValidationError(_("Minutes are for published meetings."), code="draft")
    for item, text in texts:
        if item.meeting_id != locked.pk:
            raise ValidationError(_("That agenda item belongs to another meeting."), code="item")
        minutes_save(item=item, text=text, by=by)
    if actions is not None:
        _actions_write(meeting=locked, changes=actions, by=by)
    if publish:
        minutes_publish(meeting=meeting, by=by)
    return meeting


def minutes_publish(*, meeting: Meeting, by: User, published: bool = True) -> Meeting:
    """Show the minutes to members (or hide them again).

    Side effects: publishing sends ``minutes_published`` inside the transaction (reminders make the
    summary's rows for those who took part, once ever, and send them after commit).
    """
    with transaction.atomic():
        locked = _lock(meeting)
        if published and locked.minutes_published_at is not None:
            _refresh(meeting, locked, ["minutes_published_at", "minutes_published_by_id"])
            return meeting
        locked.minutes_published_at = timezone.now() if published else None
        locked.minutes_published_by = by if published else None
        _record(locked, by=by, reason="minutes published" if published else "minutes hidden")
        locked.save(update_fields=["minutes_published_at", "minutes_published_by", "updated_at"])
        if published:
            signals.minutes_published.send(sender=Meeting, meeting=locked, by=by)
    _refresh(meeting, locked, ["minutes_published_at", "minutes_published_by_id"])
    return meeting


def resource_add(
    *, meeting: Meeting, by: User, title: str, description: str = "", url: str = "", file=None
) -> Resource:
    """Attach a tool or method shown at the meeting: a link or a checked upload."""
    if not url and not file:
        raise ValidationError(_("Give a link or choose a file."), code="empty")
    if url and file:
        raise ValidationError(_("Give either a link or a file, not both."), code="both")
    if url:
        validate_online_url(url)
    if file:
        validate_upload(file)
    return Resource.objects.create(
        meeting=meeting, title=title, description=description, url=url, file=file or "", added_by=by
    )


@transaction.atomic
def resource_remove(*, resource: Resource, by: User) -> None:
    """Delete a resource and its stored file. The meeting's history records ``by``."""
    meeting = _lock(resource.meeting)
    title = resource.title
    if resource.file:
        resource.file.delete(save=False)
    resource.delete()
    _note_change(meeting, by=by, reason=f"resource removed: {title}"[:100])
