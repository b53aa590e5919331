"""Meeting pages. Views check access, call one selector or service, and render or redirect."""

import re
import zoneinfo
from datetime import time

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community import extensions
from community.access import facilitator_required, member_required
from community.downloads import file_download

from . import ical, selectors, services
from .enums import MeetingState, RSVPResponse
from .forms import (
    AgendaItemForm,
    AttendanceForm,
    CancelForm,
    MeetingForm,
    MinutesForm,
    ResourceForm,
    ResourceSearchForm,
)
from .models import AgendaItem, CalendarFeed, Meeting, Resource

PAST_PER_PAGE = 12
RESOURCES_PER_PAGE = 20
# Tokens are URL-safe base64; anything else (a NUL byte, say) cannot be one and never reaches the database.
FEED_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _form_error(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _back(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@member_required
@require_GET
def meeting_list(request):
    upcoming, past = selectors.meeting_lists(request.user)
    page = Paginator(past, PAST_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": list(upcoming),
            "past_page": page,
            "past": page.object_list,
            "feed_url": services.calendar_feed_url(member=request.user),
        },
    )


@facilitator_required
def meeting_create(request):
    now = timezone.now()
    if request.method == "POST":
        form = MeetingForm(request.POST, now=now)
        if form.is_valid():
            try:
                meeting = services.meeting_create(by=request.user, now=now, **form.service_kwargs())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request, _("Meeting saved as a draft with the standard agenda. Publish it when ready.")
                )
                return redirect("meetings:detail", pk=meeting.pk)
    else:
        form = MeetingForm(initial=_suggested_initial(request.user, now), now=now)
    return render(request, "meetings/form.html", {"form": form, "meeting": None})


def _suggested_initial(user, now) -> dict:
    last = Meeting.objects.exclude(state=MeetingState.CANCELLED).order_by("-starts_at").first()
    if last is None:
        last = Meeting.objects.order_by("-starts_at").first()
    suggested = services.suggested_start(last=last, now=now)
    if suggested is None:
        return {"time_zone": user.time_zone or "UTC", "start_time": time(14, 0), "end_time": time(16, 0)}
    zone = zoneinfo.ZoneInfo(last.time_zone)
    end = (suggested + (last.ends_at - last.starts_at)).astimezone(zone)
    return {
        "title": _("Bimonthly meeting"),
        "date": suggested.date(),
        "start_time": suggested.time(),
        "end_time": end.time(),
        "time_zone": last.time_zone,
        "online_url": last.online_url,
        "place": last.place,
        "capacity": last.capacity,
    }


@member_required
@require_GET
def meeting_detail(request, pk: int):
    context = selectors.meeting_page(pk=pk, user=request.user)
    context["sections"] = extensions.collect("meeting_sections", context["meeting"], request.user)
    context["resource_form"] = ResourceForm()
    return render(request, "meetings/detail.html", context)


@facilitator_required
def meeting_edit(request, pk: int):
    meeting = selectors.meeting_for_edit(pk=pk)
    if not rules.has_perm("meetings.edit_meeting", request.user, meeting):
        raise Http404
    if request.method == "POST":
        form = MeetingForm(request.POST, meeting=meeting)
        if form.is_valid():
            try:
                services.meeting_update(meeting=meeting, by=request.user, **form.service_kwargs())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Meeting updated."))
                return redirect("meetings:detail", pk=meeting.pk)
    else:
        form = MeetingForm(meeting=meeting)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting})


@facilitator_required
@require_POST
def meeting_publish(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        services.meeting_publish(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The meeting is published: members can see it and answer."))
    return redirect("meetings:detail", pk=meeting.pk)


@facilitator_required
def meeting_cancel(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    if not rules.has_perm("meetings.cancel_meeting", request.user, meeting):
        raise Http404
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(meeting=meeting, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The meeting is cancelled."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/cancel.html", {"form": form, "meeting": meeting})


@member_required
@require_POST
def rsvp(request, pk: int):
    meeting = get_object_or_404(selectors.visible_meetings(request.user), pk=pk)
    back = _back(request, meeting.get_absolute_url())
    response = request.POST.get("response", "")
    if response not in RSVPResponse.values:
        messages.error(request, _("Choose going, maybe or not going."))
        return redirect(back)
    try:
        answer = services.rsvp_set(meeting=meeting, member=request.user, response=response)
    except services.RSVPRefused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            {
                RSVPResponse.GOING: _("You are going. See you there!"),
                RSVPResponse.MAYBE: _("Answer saved: maybe."),
                RSVPResponse.NOT_GOING: _("Answer saved: not going."),
                RSVPResponse.WAITLISTED: _("You are on the waiting list: you will get a place as soon as one frees."),
            }[answer.response],
        )
    return redirect(back)


# --- agenda ----------------------------------------------------------------------------------


@facilitator_required
def agenda(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.exclude(state=MeetingState.CANCELLED), pk=pk)
    form = AgendaItemForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.agenda_item_add(
            meeting=meeting,
            by=request.user,
            title=data["title"],
            kind=data["kind"],
            duration_minutes=data["duration_minutes"],
            leads=data["leads"],
        )
        messages.success(request, _("Agenda item added."))
        return redirect("meetings:agenda", pk=meeting.pk)
    items = list(meeting.agenda_items.order_by("position", "pk").prefetch_related("leads"))
    return render(request, "meetings/agenda.html", {"meeting": meeting, "items": items, "form": form})


def _item(pk: int, item_pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("meeting").exclude(meeting__state=MeetingState.CANCELLED),
        pk=item_pk,
        meeting_id=pk,
    )


@facilitator_required
def agenda_item_edit(request, pk: int, item_pk: int):
    item = _item(pk, item_pk)
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.agenda_item_update(
            item=item,
            by=request.user,
            title=data["title"],
            kind=data["kind"],
            duration_minutes=data["duration_minutes"],
            leads=data["leads"],
        )
        messages.success(request, _("Agenda item saved."))
        return redirect("meetings:agenda", pk=pk)
    return render(request, "meetings/agenda_item.html", {"meeting": item.meeting, "item": item, "form": form})


@facilitator_required
@require_POST
def agenda_item_remove(request, pk: int, item_pk: int):
    item = _item(pk, item_pk)
    services.agenda_item_remove(item=item, by=request.user)
    messages.success(request, _("Agenda item removed."))
    return redirect("meetings:agenda", pk=pk)


@facilitator_required
@require_POST
def agenda_item_move(request, pk: int, item_pk: int):
    item = _item(pk, item_pk)
    direction = request.POST.get("direction")
    if direction in {"up", "down"}:
        services.agenda_item_move(item=item, by=request.user, direction=direction)
    return redirect("meetings:agenda", pk=pk)


# --- after the meeting -----------------------------------------------------------------------


@facilitator_required
def attendance(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.filter(state=MeetingState.PUBLISHED), pk=pk)
    members, ticked = selectors.attendance_choices(meeting)
    started = meeting.starts_at <= timezone.now()
    if request.method == "POST":
        form = AttendanceForm(request.POST, members=members)
        if form.is_valid():
            try:
                present = services.attendance_record(
                    meeting=meeting, present=form.cleaned_data["present"], by=request.user
                )
            except ValidationError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Attendance saved: %(count)d present.") % {"count": len(present)})
                return redirect("meetings:detail", pk=meeting.pk)
    else:
        form = AttendanceForm(members=members, initial={"present": list(ticked)})
    return render(request, "meetings/attendance.html", {"meeting": meeting, "form": form, "started": started})


@facilitator_required
def minutes(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.exclude(state=MeetingState.DRAFT), pk=pk)
    items = list(meeting.agenda_items.order_by("position", "pk").select_related("minutes"))

    def text_of(item):
        return item.minutes.text if hasattr(item, "minutes") else ""

    if request.method == "POST":
        forms = [(item, MinutesForm(request.POST, prefix=f"item-{item.pk}")) for item in items]
        if all(form.is_valid() for _item, form in forms):
            publish = request.POST.get("publish") == "1"
            services.minutes_record(
                meeting=meeting,
                texts=[(item, form.cleaned_data["text"].strip()) for item, form in forms],
                by=request.user,
                publish=publish,
            )
            messages.success(request, _("Minutes saved and published.") if publish else _("Minutes saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    else:
        forms = [(item, MinutesForm(initial={"text": text_of(item)}, prefix=f"item-{item.pk}")) for item in items]
    return render(request, "meetings/minutes.html", {"meeting": meeting, "forms": forms})


@facilitator_required
@require_POST
def minutes_unpublish(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    services.minutes_publish(meeting=meeting, by=request.user, published=False)
    messages.success(request, _("The minutes are hidden from members again."))
    return redirect("meetings:detail", pk=meeting.pk)


@facilitator_required
@require_GET
def minutes_history(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    revisions = selectors.minutes_history(meeting)
    return render(request, "meetings/minutes_history.html", {"meeting": meeting, "revisions": revisions})


# --- resources -------------------------------------------------------------------------------


@member_required
def resource_add(request, pk: int):
    meeting = get_object_or_404(selectors.visible_meetings(request.user), pk=pk)
    if not rules.has_perm("meetings.attach_resource", request.user, meeting):
        raise Http404
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.resource_add(
                meeting=meeting,
                by=request.user,
                title=data["title"],
                description=data["description"],
                url=data["url"],
                file=data["file"],
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Resource added to the meeting."))
            return redirect(meeting.get_absolute_url() + "#resources")
    return render(request, "meetings/resource_form.html", {"meeting": meeting, "form": form})


@member_required
@require_POST
def resource_remove(request, pk: int):
    resource = get_object_or_404(Resource.objects.select_related("meeting"), pk=pk)
    if not rules.has_perm("meetings.remove_resource", request.user, resource):
        raise Http404
    services.resource_remove(resource=resource, by=request.user)
    messages.success(request, _("Resource removed."))
    return redirect(_back(request, resource.meeting.get_absolute_url() + "#resources"))


@member_required
@require_GET
def resource_file(request, pk: int):
    """A resource's uploaded file, for those who may see its meeting."""
    resource = get_object_or_404(Resource.objects.select_related("meeting"), pk=pk)
    if not rules.has_perm("meetings.see_meeting", request.user, resource.meeting):
        raise Http404
    return file_download(resource.file)


@member_required
@require_GET
def resource_library(request):
    form = ResourceSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = Paginator(selectors.resource_library(query=query), RESOURCES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "meetings/resources.html", {"form": form, "query": query, "page": page})


# --- calendars -------------------------------------------------------------------------------


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
