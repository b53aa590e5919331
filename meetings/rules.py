"""Permission predicates for meetings, shared by views, templates and the admin."""

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
    return is_member(user) and (is_facilitator(user) or (resource is not None and resource.added_by_id == user.pk))


@rules.predicate
def can_see_minutes(user, meeting) -> bool:
    return meeting is not None and (meeting.minutes_published_at is not None or is_facilitator(user))


# Codenames never reuse Django's add/change/delete/view_<model>: the admin asks for those, and a
# rule under such a name would open the admin to whoever the rule lets in.
rules.add_perm("meetings.see_meeting", can_view_meeting)
rules.add_perm("meetings.see_drafts", is_facilitator)
rules.add_perm("meetings.manage_meetings", is_facilitator)
rules.add_perm("meetings.rsvp", is_member & rsvp_open)
rules.add_perm("meetings.attach_resource", can_add_resource)
rules.add_perm("meetings.remove_resource", can_remove_resource)
rules.add_perm("meetings.see_minutes", is_member & can_see_minutes)
