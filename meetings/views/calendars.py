"""Calendar files: one meeting's .ics and each member's secret feed."""

import re

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community.access import member_required

from .. import ical, selectors, services
from ..models import CalendarFeed
from .common import _back

# Tokens are URL-safe base64; anything else (a NUL byte, say) cannot be one and never reaches the database.
FEED_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@member_required
@require_GET
def meeting_ical(request, pk: int):
    meeting = get_object_or_404(selectors.visible_meetings(request.user), pk=pk)
    return _ics_response(ical.meeting_ics(meeting), f"meeting-{meeting.pk}.ics")


@require_GET
def calendar_feed(request, token: str):
    """A member's personal feed: the secret token is the key, as calendar apps cannot sign in."""
    if not FEED_TOKEN.fullmatch(token):
        raise Http404
    feed = get_object_or_404(CalendarFeed.objects.select_related("member"), token=token)
    if not feed.member.is_approved:
        raise Http404
    content = ical.feed_ics(selectors.feed_meetings(feed.member), name=_("Keep in Pact meetings"))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@member_required
@require_POST
def calendar_feed_regenerate(request):
    services.calendar_feed_regenerate(member=request.user)
    messages.success(request, _("Your calendar address changed: subscribe again with the new one."))
    return redirect(_back(request, "/"))
