"""The meetings list, a meeting's page, creating, editing, publishing, cancelling, answering."""

import zoneinfo
from datetime import time

import rules
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community.access import facilitator_required, member_required
from community.fragments import KEPT_AT_MOST, KEPT_PAGES, MEMBER_PAGES, kept_for_reader, with_token
from community.languages import content_language_of
from community.receivers import DIRECTORY
from community.rules import is_facilitator, is_guide_editor

from .. import selectors, services, slots
from ..enums import MeetingState, RSVPResponse
from ..forms import (
    CancelForm,
    MeetingForm,
    ResourceForm,
)
from ..kept import MEETINGS
from ..models import Meeting
from ..rules import next_moment
from .common import _back, _form_error

PAST_PER_PAGE = 12


@member_required
@require_GET
def meeting_list(request):
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = ""  # an unknown value shows every meeting, like the other lists' filters
    user = request.user

    def rendered(token: str) -> tuple[str, float]:
        now = timezone.now()
        upcoming, upcoming_ids = selectors.meeting_lists(user, language=language, now=now)
        context = {
            "upcoming": upcoming,
            "past_section": _past_section(request, upcoming_ids, language),
            "feed_url": services.calendar_feed_url(member=user),
            "language": language,
            "languages": settings.LANGUAGES,
            "csrf_token": token,
        }
        html = render_to_string("meetings/includes/_list_body.html", context, request)
        # A meeting that opens its link, starts or ends changes the lists.
        moments = [next_moment(meeting, now) for meeting in upcoming]
        return html, min(filter(None, (*moments, now + KEPT_AT_MOST))).timestamp()

    page = request.GET.get("page", "1")
    kept = page.isdigit() and 0 < int(page) <= KEPT_PAGES and set(request.GET) <= {"language", "page"}
    fresh = not kept or is_facilitator(user) or is_guide_editor(user)
    parts = ("meetings", user.pk, language, int(page) if kept else "")
    html = kept_for_reader(request, parts, (MEMBER_PAGES, MEETINGS), rendered, fresh=fresh)
    return render(request, "meetings/list.html", {"body": with_token(request, html)})


def _past_section(request, upcoming_ids: list[int], language: str) -> str:
    """The paged list of past meetings: the same for every member (facilitators also see drafts),
    kept rendered per version of the meetings, for the set of meetings still to come (one that
    ends moves from one list to the other) and the near pages."""

    def rendered() -> str:
        past = selectors.past_meetings(request.user, upcoming_ids=upcoming_ids, language=language)
        page = Paginator(past, PAST_PER_PAGE).get_page(request.GET.get("page"))
        context = {"past_page": page, "past": page.object_list, "language": language}
        return render_to_string("meetings/includes/_past_meetings.html", context, request)

    number = request.GET.get("page", "1")
    if not (number.isdigit() and 0 < int(number) <= KEPT_PAGES):
        return rendered()
    audience = "facilitator" if is_facilitator(request.user) else "member"
    coming = ",".join(str(pk) for pk in sorted(upcoming_ids))
    zone = timezone.get_current_timezone_name()
    return MEETINGS.cached(MEETINGS.key("past", audience, language, zone, int(number), coming), rendered)


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
        return {
            "time_zone": user.time_zone or "UTC",
            "start_time": time(14, 0),
            "end_time": time(16, 0),
            "language": content_language_of(user),
        }
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
        "language": content_language_of(user),
    }


@member_required
@require_GET
def meeting_detail(request, pk: int):
    """A meeting's page. A member's is kept rendered until something it shows changes or the
    meeting's next moment comes (``portal.kept``); facilitators' and editors' are fresh."""
    user = request.user

    def rendered(token: str) -> tuple[dict, float]:
        now = timezone.now()
        context = selectors.meeting_page(pk=pk, user=user)
        meeting = context["meeting"]
        context["sections"] = slots.meeting_sections(meeting, user)
        context["resource_form"] = ResourceForm()
        # The page names the first few people; facilitators page through every answer.
        context["answers_url"] = reverse("meetings:answers", args=[pk]) if is_facilitator(user) else ""
        context["csrf_token"] = token
        body = render_to_string("meetings/includes/_detail_body.html", context, request)
        until = min(filter(None, (next_moment(meeting, now), now + KEPT_AT_MOST)))
        return {"title": meeting.title, "body": body}, until.timestamp()

    families = (MEMBER_PAGES, MEETINGS, DIRECTORY, *slots.section_families)
    fresh = bool(request.GET) or is_facilitator(user) or is_guide_editor(user)
    page = kept_for_reader(request, ("meeting-page", pk, user.pk), families, rendered, fresh=fresh)
    body = with_token(request, page["body"])
    return render(request, "meetings/detail.html", {"title": page["title"], "body": body})


ANSWERS_PER_PAGE = 50


@facilitator_required
@require_GET
def meeting_answers(request, pk: int):
    """Facilitators: every answer to a meeting, paged (the meeting page names only the first few)."""
    meeting = get_object_or_404(Meeting, pk=pk)
    page = Paginator(selectors.meeting_answers(meeting), ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "meetings/answers.html", {"meeting": meeting, "page": page})


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
