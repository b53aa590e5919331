"""The themes list and a theme's page; proposing, editing, interest, state changes, placing on a meeting."""

import rules
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from community.access import facilitator_required, member_required
from community.fragments import KEPT_AT_MOST, MEMBER_PAGES, fill_slots, kept_for_reader, kept_view, with_token
from community.languages import content_language_of
from community.receivers import DIRECTORY
from community.rules import is_facilitator

from .. import selectors, services
from ..enums import ThemeSort, ThemeState
from ..filters import ThemeFilter
from ..forms import (
    QuestionForm,
    ScheduleForm,
    ThemeForm,
    ThemeProposeForm,
    TransitionForm,
)
from ..interest import interest_form
from ..kept import CARDS, PAGES
from ..models import Theme
from .common import PAGE_SIZE, _back, _is_htmx, _theme


@member_required
def theme_list(request):
    """The backlog: the listing (filters, count, cards, pages) is the same for every member and,
    for the views worth keeping, kept rendered per version of the cards; each card's interest
    button and count are the viewer's, read with the page (one query) and put in its slot."""
    asked = kept_view(request.GET, KEPT_FILTERS, fixed=KEPT_SORTS)

    def rendered(token: str) -> tuple[str, float]:
        if asked is None:
            listing = _backlog_listing(request)
        else:
            zone = timezone.get_current_timezone_name()
            listing = CARDS.cached(CARDS.key("backlog", zone, *asked), lambda: _backlog_listing(request))
        html = fill_slots(listing["html"], _interest_forms(request, listing["ids"], token))
        return html, (timezone.now() + KEPT_AT_MOST).timestamp()

    # The viewer's page (their interest under each card) is kept too, until they or the cards change.
    fresh = asked is None or is_facilitator(request.user)
    parts = ("backlog", request.user.pk, *(asked or ()))
    html = kept_for_reader(request, parts, (MEMBER_PAGES, CARDS), rendered, fresh=fresh)
    return render(request, "themes/list.html", {"listing": with_token(request, html)})


KEPT_FILTERS = ("reason", "status", "topic", "language")
# Sorting on counts is answered fresh: they change without bumping the cards' version.
KEPT_SORTS = {"sort": ("", ThemeSort.NEWEST)}


def _backlog_listing(request) -> dict:
    """The backlog's listing as HTML with a slot per card for its interest form, and the themes' ids."""
    filterset = ThemeFilter(request.GET, queryset=selectors.theme_backlog(user=None, with_cards=False))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_card_bodies(page.object_list)
    querystring = request.GET.copy()
    querystring.pop("page", None)
    context = {
        "form": filterset.form,
        "page": page,
        "topics": selectors.topics_in_use(),
        "querystring": querystring.urlencode(),
        "filtered": filterset.is_filtered,
    }
    html = render_to_string("themes/includes/_backlog.html", context, request)
    return {"html": html, "ids": [theme.pk for theme in page.object_list]}


def _interest_forms(request, ids: list[int], token: str) -> dict[str, str]:
    """The viewer's interest form under each card of the page, by slot name."""
    here = request.get_full_path()
    return {
        f"interest-{theme.pk}": interest_form(
            theme_pk=theme.pk,
            interested=theme.is_interested,
            count=theme.interest_count,
            can_show=rules.has_perm("themes.show_interest", request.user, theme),
            csrf_token=token,
            next_url=here,
        )
        for theme in selectors.interest_of(user=request.user, ids=ids)
    }


CARD_BODY = "themes/includes/_card_body.html"


def _with_card_bodies(themes) -> None:
    """Give each theme its card's body, kept rendered per version of the cards and time zone;
    the details of the others are loaded and rendered once."""
    zone = timezone.get_current_timezone_name()
    by_key = {CARDS.key("card", theme.pk, zone): theme for theme in themes}

    def render_missing(keys: list[str]) -> dict:
        selectors.with_card_details([by_key[key] for key in keys])
        return {key: render_to_string(CARD_BODY, {"theme": by_key[key]}) for key in keys}

    bodies = CARDS.cached_many(list(by_key), render_missing)
    for key, theme in by_key.items():
        theme.card_body = bodies[key]


@member_required
def theme_create(request):
    form = ThemeProposeForm(request.POST or None, initial={"language": content_language_of(request.user)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        theme = services.theme_propose(
            proposer=request.user,
            title=data["title"],
            summary=data["summary"],
            reason=data["reason"],
            topics=data["topics"],
            can_present=data["can_present"],
            pitch=data["pitch"],
            language=data["language"],
        )
        messages.success(request, _("Your theme is in the backlog. Members can now show interest."))
        return _back(theme)
    return render(request, "themes/form.html", {"form": form, "creating": True})


@member_required
def theme_detail(request, pk: int):
    """A theme's page, kept per member until something it shows changes (``portal.kept``)."""

    def rendered(token: str) -> tuple[dict, float]:
        now = timezone.now()
        context = {**_detail_context(request, pk), "csrf_token": token}
        theme = context["theme"]
        body = render_to_string("themes/includes/_detail_body.html", context, request)
        # Its meeting's start lets the proposer mark it presented.
        moments = [now + KEPT_AT_MOST]
        if theme.meeting is not None and theme.meeting.starts_at > now:
            moments.append(theme.meeting.starts_at)
        return {"title": theme.title, "body": body}, min(moments).timestamp()

    fresh = bool(request.GET) or is_facilitator(request.user)
    families = (MEMBER_PAGES, PAGES, CARDS, DIRECTORY)
    page = kept_for_reader(request, ("theme-page", pk, request.user.pk), families, rendered, fresh=fresh)
    return render(request, "themes/detail.html", {"title": page["title"], "body": with_token(request, page["body"])})


def _detail_context(request, pk: int, question_form: QuestionForm | None = None) -> dict:
    try:
        context = selectors.theme_page(pk=pk, user=request.user)
    except Theme.DoesNotExist as exc:
        raise Http404 from exc
    context["question_form"] = question_form or QuestionForm(initial={"language": content_language_of(request.user)})
    return context


@member_required
def theme_edit(request, pk: int):
    theme = get_object_or_404(Theme.objects.prefetch_related("topics"), pk=pk)
    if not rules.has_perm("themes.edit_theme", request.user, theme):
        raise Http404
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.theme_update(
            theme=theme,
            by=request.user,
            title=data["title"],
            summary=data["summary"],
            reason=data["reason"],
            topics=data["topics"],
            language=data["language"],
        )
        messages.success(request, _("Theme saved."))
        return _back(theme)
    return render(request, "themes/form.html", {"form": form, "theme": theme, "creating": False})


@member_required
@require_POST
def theme_interest(request, pk: int):
    """Say or take back interest. Sends the wanted state, so a double submit counts once."""
    theme = _theme(pk)
    interested = request.POST.get("interested") == "1"
    try:
        count = services.theme_set_interest(theme=theme, member=request.user, interested=interested)
    except services.ThemeError as error:
        if _is_htmx(request):
            count, interested = theme.interests.count(), theme.interests.filter(member=request.user).exists()
        else:
            messages.error(request, str(error))
            return _back(theme)
    next_url = request.POST.get("next", "")
    if _is_htmx(request):
        form = interest_form(
            theme_pk=theme.pk,
            interested=interested,
            count=count,
            can_show=rules.has_perm("themes.show_interest", request.user, theme),
            csrf_token=get_token(request),
            next_url=next_url or reverse("themes:detail", args=[theme.pk]),
        )
        return HttpResponse(form)
    if interested:
        messages.success(request, _("Noted: you are interested in this theme."))
    if next_url.startswith("/themes/") and url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
        return redirect(next_url)
    return _back(theme)


TRANSITION_TEXTS = {
    ThemeState.WITHDRAWN: (
        gettext_lazy("Withdraw this theme"),
        gettext_lazy("It leaves the backlog. Members who showed interest are told."),
    ),
    ThemeState.DECLINED: (
        gettext_lazy("Decline this theme"),
        gettext_lazy("The proposer and interested members are told why."),
    ),
    ThemeState.PROPOSED: (
        gettext_lazy("Take this theme off its meeting"),
        gettext_lazy("The meeting's human bookstore item is emptied."),
    ),
    ThemeState.PRESENTED: (gettext_lazy("Mark as presented"), gettext_lazy("The session took place.")),
    ThemeState.ARCHIVED: (
        gettext_lazy("Archive this theme"),
        gettext_lazy("It stays readable, but takes no more changes."),
    ),
}


@member_required
def theme_transition(request, pk: int, to: str):
    theme = _theme(pk)
    if to not in TRANSITION_TEXTS or to not in services.allowed_moves(theme=theme, user=request.user):
        raise Http404
    form = TransitionForm(request.POST or None, to=to)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_transition(theme=theme, to=to, by=request.user, note=form.cleaned_data["note"])
        except services.ThemeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The theme is now “%(state)s”.") % {"state": ThemeState(to).label})
            return _back(theme)
    heading, explanation = TRANSITION_TEXTS[to]
    return render(
        request,
        "themes/transition.html",
        {"theme": theme, "form": form, "to": to, "heading": heading, "explanation": explanation},
    )


@facilitator_required
def theme_schedule(request, pk: int):
    theme = _theme(pk)
    if ThemeState.SCHEDULED not in services.allowed_moves(theme=theme, user=request.user):
        raise Http404
    meetings = services.schedulable_meetings()
    if theme.meeting_id:
        meetings = meetings.exclude(pk=theme.meeting_id)
    form = ScheduleForm(request.POST or None, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_transition(
                theme=theme, to=ThemeState.SCHEDULED, by=request.user, meeting=form.cleaned_data["meeting"]
            )
        except services.ThemeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The theme is placed on “%(meeting)s”.") % {"meeting": form.cleaned_data["meeting"]}
            )
            return _back(theme)
    return render(request, "themes/schedule.html", {"theme": theme, "form": form, "has_meetings": meetings.exists()})
