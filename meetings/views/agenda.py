"""Facilitators' agenda pages: items edited, moved, removed."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.access import facilitator_required
from community.pickers import finding, posted_initial

from .. import services
from ..enums import MeetingState
from ..forms import (
    AgendaItemForm,
)
from ..models import AgendaItem, Meeting


@facilitator_required
def agenda(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.exclude(state=MeetingState.CANCELLED), pk=pk)
    if finding(request):
        form = AgendaItemForm(
            initial=posted_initial(request, AgendaItemForm, prefix="new", lists=["leads"]), prefix="new"
        )
    else:
        form = AgendaItemForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_bound and form.is_valid():
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
    if finding(request):
        form = AgendaItemForm(initial=posted_initial(request, AgendaItemForm, lists=["leads"]), instance=item)
    else:
        form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_bound and form.is_valid():
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
