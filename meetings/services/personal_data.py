"""What is erased of a member's meeting data before their account is deleted."""

from django.db import transaction
from django.utils import timezone

from community.models import User

from ..enums import RSVPResponse
from ..models import RSVP, Meeting, Minutes, Resource
from .common import _lock
from .rsvp import _promote_waitlist


@transaction.atomic
def member_data_erase(*, member: User) -> None:
    """Before an account is deleted: free the member's places (promoting the waiting list);
    keep their resources and minutes, credited to nobody ("a former member")."""
    upcoming = RSVP.objects.filter(
        member=member, response=RSVPResponse.GOING, meeting__starts_at__gt=timezone.now()
    ).values_list("meeting_id", flat=True)
    for meeting in Meeting.objects.filter(pk__in=list(upcoming)).order_by("pk"):
        locked = _lock(meeting)
        RSVP.objects.filter(meeting=locked, member=member).delete()
        _promote_waitlist(locked)
    Resource.objects.filter(added_by=member).update(added_by=None)
    Minutes.objects.filter(updated_by=member).update(updated_by=None)
    Minutes.history.filter(history_user=member).update(history_user=None)
    Minutes.history.filter(updated_by=member).update(updated_by=None)
    # The meetings' trail keeps what changed, credited to nobody.
    Meeting.history.filter(history_user=member).update(history_user=None)
    for field in ("created_by", "cancelled_by", "minutes_published_by"):
        Meeting.history.filter(**{field: member}).update(**{field: None})
