"""Permission predicates for meetings, shared by views, templates and the admin."""

from datetime import timedelta

import rules
from django.utils import timezone

from community.rules import is_facilitator, is_member

from .enums import MeetingState, RSVPResponse


@rules.predicate
def can_view_meeting(user, meeting) -> bool:
    """Members see published and cancelled meetings; drafts only facilitators."""
    if not is_member(user):
        return False
    return meeting is None or meeting.state != MeetingState.DRAFT or is_facilitator(user)


@rules.predicate
def rsvp_open(user, meeting) -> bool:
    return meeting is not None and meeting.state == MeetingState.PUBLISHED and timezone.now() < meeting.starts_at


# The "Join the meeting" button shows from this long before the start until the end.
JOIN_OPENS_BEFORE = timedelta(minutes=15)


def next_moment(meeting, now=None):
    """The next moment the clock alone changes what a meeting's pages show: its link opening, its
    start (answers close), its end (the next meeting comes first). None once it is over."""
    now = now or timezone.now()
    moments = (meeting.starts_at - JOIN_OPENS_BEFORE, meeting.starts_at, meeting.ends_at)
    return min((moment for moment in moments if moment > now), default=None)


def join_open_at(meeting, now=None) -> bool:
    """Whether the meeting's online link is offered as a button now: a published meeting with a
    link, from ``JOIN_OPENS_BEFORE`` its start until its end."""
    if meeting is None or meeting.state != MeetingState.PUBLISHED or not meeting.online_url:
        return False
    now = now or timezone.now()
    return meeting.starts_at - JOIN_OPENS_BEFORE <= now < meeting.ends_at


@rules.predicate
def can_join(user, meeting) -> bool:
    return join_open_at(meeting)


def was_there(user, meeting) -> bool:
    """Recorded present, or (before attendance is recorded) answered going."""
    if not (user and user.is_authenticated):
        return False
    attended = getattr(meeting, "attendee_ids", None)
    if attended is None:
        attended = set(meeting.attendances.values_list("member_id", flat=True))
    if user.pk in attended:
        return True
    going = getattr(meeting, "going_ids", None)
    if going is None:
        going = set(meeting.rsvps.filter(response=RSVPResponse.GOING).values_list("member_id", flat=True))
    return user.pk in going


@rules.predicate
def can_add_resource(user, meeting) -> bool:
    """Anyone present at a meeting (and facilitators) may attach the tools shown there."""
    if meeting is None or not is_member(user) or meeting.state == MeetingState.DRAFT:
        return False
    if is_facilitator(user):
        return True
    return meeting.state == MeetingState.PUBLISHED and meeting.starts_at <= timezone.now() and was_there(user, meeting)


@rules.predicate
def can_remove_resource(user, resource) -> bool:
    """Facilitators, and whoever attached it (while its meeting is one they can see)."""
    if not is_member(user):
        return False
    if is_facilitator(user):
        return True
    return resource is not None and resource.added_by_id == user.pk and resource.meeting.state != MeetingState.DRAFT


@rules.predicate
def can_see_minutes(user, meeting) -> bool:
    return meeting is not None and (meeting.minutes_published_at is not None or is_facilitator(user))


def _state_is(*states):
    @rules.predicate(name=f"state_in_{'_'.join(states)}")
    def check(user, meeting) -> bool:
        return meeting is not None and meeting.state in states

    return check


is_draft = _state_is(MeetingState.DRAFT)
is_published = _state_is(MeetingState.PUBLISHED)
is_cancelled = _state_is(MeetingState.CANCELLED)


@rules.predicate
def has_started(user, meeting) -> bool:
    return meeting is not None and meeting.starts_at <= timezone.now()


@rules.predicate
def owns_action(user, action) -> bool:
    return action is not None and action.owner_id == user.pk


# What the facilitator tools of a meeting page offer, and what their pages accept.
can_edit_meeting = is_facilitator & ~is_cancelled
can_publish_meeting = is_facilitator & is_draft
can_cancel_meeting = is_facilitator & ~is_cancelled & ~has_started
can_record_attendance = is_facilitator & is_published
can_write_minutes = is_facilitator & ~is_draft

# Codenames never reuse Django's add/change/delete/view_<model>: the admin asks for those, and a
# rule under such a name would open the admin to whoever the rule lets in.
rules.add_perm("meetings.see_meeting", can_view_meeting)
rules.add_perm("meetings.see_drafts", is_facilitator)
rules.add_perm("meetings.manage_meetings", is_facilitator)
rules.add_perm("meetings.edit_meeting", can_edit_meeting)
rules.add_perm("meetings.edit_agenda", can_edit_meeting)
rules.add_perm("meetings.publish_meeting", can_publish_meeting)
rules.add_perm("meetings.cancel_meeting", can_cancel_meeting)
rules.add_perm("meetings.record_attendance", can_record_attendance)
rules.add_perm("meetings.write_minutes", can_write_minutes)
rules.add_perm("meetings.rsvp", is_member & rsvp_open)
rules.add_perm("meetings.join_meeting", is_member & can_view_meeting & can_join)
rules.add_perm("meetings.attach_resource", can_add_resource)
rules.add_perm("meetings.remove_resource", can_remove_resource)
rules.add_perm("meetings.see_minutes", is_member & can_see_minutes)
rules.add_perm("meetings.tick_action", is_member & (owns_action | is_facilitator))
