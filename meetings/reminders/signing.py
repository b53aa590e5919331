"""One-click RSVP links: signed per member and meeting, valid until the meeting's current start."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from meetings.enums import MeetingState, RSVPResponse
from meetings.models import Meeting

SALT = "meetings.reminders.rsvp"
# The answers a link may give; the waiting list is the outcome of "going" to a full meeting, not a choice.
LINK_RESPONSES = (RSVPResponse.GOING, RSVPResponse.MAYBE, RSVPResponse.NOT_GOING)


class InvalidLink(Exception):
    """Tampered with, or made for another meeting or a member who may no longer answer."""


class ExpiredLink(Exception):
    """The meeting started or was cancelled: answers are closed."""


def rsvp_token(*, meeting_id: int, member_id: int) -> str:
    # No timestamp in the token: it expires with the meeting's start, checked when used.
    return signing.Signer(salt=SALT).sign_object({"meeting": meeting_id, "member": member_id})


def rsvp_urls(*, meeting_id: int, member_id: int) -> dict[str, str]:
    """Absolute links for each answer, keyed by response (for the email templates)."""
    token = rsvp_token(meeting_id=meeting_id, member_id=member_id)
    return {
        response: settings.SITE_URL
        + reverse("meetings:reminder_rsvp", kwargs={"pk": meeting_id, "token": token, "response": response})
        for response in LINK_RESPONSES
    }


@dataclass(frozen=True)
class LinkTarget:
    meeting: Meeting
    member: object


def rsvp_link_check(*, meeting_pk: int, token: str, now=None) -> LinkTarget:
    """Who and what a link is for. Raises ``InvalidLink`` or ``ExpiredLink``.

    Expiry is checked against the meeting's start *now*, so a reschedule moves it too.
    """
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature as exc:
        raise InvalidLink from exc
    if not isinstance(payload, dict) or payload.get("meeting") != meeting_pk:
        raise InvalidLink
    meeting = Meeting.objects.filter(pk=meeting_pk).exclude(state=MeetingState.DRAFT).first()
    member = get_user_model().objects.approved().filter(pk=payload.get("member")).first()
    if meeting is None or member is None:
        raise InvalidLink
    if meeting.state == MeetingState.CANCELLED or meeting.starts_at <= (now or timezone.now()):
        raise ExpiredLink
    return LinkTarget(meeting=meeting, member=member)
