import zoneinfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from community.access import facilitator_required
from meetings.enums import RSVPResponse
from meetings.models import RSVP, Meeting

from . import schedule, selectors, services
from .forms import ReminderOffsetsForm
from .signing import LINK_RESPONSES, ExpiredLink, InvalidLink, rsvp_link_check


@facilitator_required
@require_http_methods(["GET", "POST"])
def reminders_manage(request, pk):
    """Facilitators: choose when the meeting's reminders go out, and see what went out."""
    meeting = get_object_or_404(Meeting.objects.select_related("reminder_settings"), pk=pk)
    if request.method == "POST":
        form = ReminderOffsetsForm(request.POST)
        if form.is_valid():
            services.reminder_settings_update(meeting=meeting, offsets=form.cleaned_data["offsets"], by=request.user)
            messages.success(request, _("The reminders of this meeting are saved."))
            return redirect("meetings:reminders", pk=meeting.pk)
    else:
        form = ReminderOffsetsForm(initial={"offsets": schedule.format_offsets(services.reminder_offsets(meeting))})
    summary = selectors.reminder_summary(meeting=meeting)
    return render(
        request, "meetings/reminders/manage.html", {"meeting": meeting, "form": form, "reminder_summary": summary}
    )


def _member_zone(member):
    try:
        return zoneinfo.ZoneInfo(member.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_current_timezone()


@require_http_methods(["GET", "POST"])
def reminder_rsvp(request, pk, token, response):
    """A one-click answer from a reminder, without signing in.

    GET only shows a confirmation (mail scanners follow links); the answer is recorded on POST.
    """
    if response not in LINK_RESPONSES:
        raise Http404
    try:
        target = rsvp_link_check(meeting_pk=pk, token=token)
    except InvalidLink:
        return render(request, "meetings/reminders/rsvp_link_invalid.html", status=400)
    except ExpiredLink:
        return render(request, "meetings/reminders/rsvp_link_expired.html", status=410)

    meeting, member = target.meeting, target.member
    # The link speaks to one member: answer in their language and time zone.
    with translation.override(member.preferred_language), timezone.override(_member_zone(member)):
        context = {
            "meeting": meeting,
            "member": member,
            "response": response,
            "response_label": RSVPResponse(response).label,
        }
        if request.method == "POST":
            try:
                stored = services.rsvp_from_link(meeting=meeting, member=member, response=response)
            except ValidationError as exc:
                context["error"] = " ".join(exc.messages)
                stored = RSVP.objects.filter(meeting=meeting, member=member).values_list("response", flat=True).first()
            context["stored"] = stored
            context["stored_label"] = RSVPResponse(stored).label if stored else ""
            return render(
                request, "meetings/reminders/rsvp_done.html", context, status=409 if "error" in context else 200
            )
        current = RSVP.objects.filter(meeting=meeting, member=member).values_list("response", flat=True).first()
        context["current_label"] = RSVPResponse(current).label if current else ""
        return render(request, "meetings/reminders/rsvp_confirm.html", context)
