"""One-click answers from the links in a reminder."""

from meetings.models import RSVP, Meeting


def rsvp_from_link(*, meeting: Meeting, member, response: str) -> str:
    """Record the answer given through a signed link; return the answer as stored (e.g. waitlisted when full).

    Goes through ``meetings.services.rsvp_set``, which owns capacity and the waiting list.
    Raises ``ValidationError`` when the answer is refused.
    """
    from meetings.services import rsvp_set

    # A member answering "going" to a full meeting from an email joins the waiting list.
    rsvp_set(meeting=meeting, member=member, response=response, waitlist_if_full=True)
    return RSVP.objects.filter(meeting=meeting, member=member).values_list("response", flat=True).first()
