"""After the meeting: attendance, minutes and their history, shared resources and the library."""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from community.access import facilitator_required, member_required
from community.downloads import file_download
from community.pickers import finding, posted_initial

from .. import selectors, services
from ..enums import MeetingState
from ..forms import (
    AttendanceForm,
    MinutesForm,
    ResourceForm,
    ResourceSearchForm,
)
from ..models import Meeting, Resource
from .common import _back, _form_error

RESOURCES_PER_PAGE = 20


@facilitator_required
def attendance(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.filter(state=MeetingState.PUBLISHED), pk=pk)
    members, ticked = selectors.attendance_choices(meeting)
    started = meeting.starts_at <= timezone.now()
    if finding(request):
        form = AttendanceForm(
            initial=posted_initial(request, AttendanceForm, lists=["present"]), members=members, proposed=ticked
        )
    elif request.method == "POST":
        form = AttendanceForm(request.POST, members=members, proposed=ticked)
        if form.is_valid():
            try:
                present = services.attendance_record(
                    meeting=meeting, present=form.cleaned_data["present"], by=request.user
                )
            except ValidationError as error:
                _form_error(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Attendance saved: %(count)d present.", "Attendance saved: %(count)d present.", len(present)
                    )
                    % {"count": len(present)},
                )
                return redirect("meetings:detail", pk=meeting.pk)
    else:
        form = AttendanceForm(members=members, initial={"present": list(ticked)}, proposed=ticked)
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
