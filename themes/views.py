import rules
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from community.access import facilitator_required, member_required
from community.downloads import file_download
from community.rules import is_facilitator

from . import selectors, services
from .enums import OPEN_STATES, PresenterStatus, ThemeState
from .filters import ThemeFilter
from .forms import (
    AnswerForm,
    AttachmentForm,
    InviteForm,
    QuestionForm,
    ScheduleForm,
    SheetForm,
    ThemeForm,
    ThemeProposeForm,
    TransitionForm,
    VolunteerForm,
)
from .models import ExperienceSheet, PresenterRole, Question, SheetAttachment, Theme

PAGE_SIZE = 20


def _theme(pk: int) -> Theme:
    return get_object_or_404(Theme.objects.select_related("proposer"), pk=pk)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(theme: Theme, anchor: str = ""):
    return redirect(reverse("themes:detail", args=[theme.pk]) + anchor)


@member_required
def theme_list(request):
    filterset = ThemeFilter(request.GET, queryset=selectors.theme_backlog(user=request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "themes/list.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page": page,
            "topics": selectors.topics_in_use(),
            "querystring": querystring.urlencode(),
            "filtered": filterset.is_filtered,
            "open_states": OPEN_STATES,
            "here": request.get_full_path(),
        },
    )


@member_required
def theme_create(request):
    form = ThemeProposeForm(request.POST or None)
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
        )
        messages.success(request, _("Your theme is in the backlog. Members can now show interest."))
        return _back(theme)
    return render(request, "themes/form.html", {"form": form, "creating": True})


@member_required
def theme_detail(request, pk: int):
    return render(request, "themes/detail.html", _detail_context(request, pk))


def _detail_context(request, pk: int, question_form: QuestionForm | None = None) -> dict:
    try:
        context = selectors.theme_page(pk=pk, user=request.user)
    except Theme.DoesNotExist as exc:
        raise Http404 from exc
    context["question_form"] = question_form or QuestionForm()
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
        theme.interest_count, theme.is_interested = count, interested
        return render(request, "themes/includes/_interest.html", {"theme": theme, "next": next_url})
    if interested:
        messages.success(request, _("Noted: you are interested in this theme."))
    if next_url.startswith("/themes/") and url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
        return redirect(next_url)
    return _back(theme)


@member_required
def theme_volunteer(request, pk: int):
    theme = _theme(pk)
    if not rules.has_perm("themes.volunteer", request.user, theme):
        raise Http404
    form = VolunteerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.presenter_volunteer(theme=theme, member=request.user, pitch=form.cleaned_data["pitch"])
        except services.ThemeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you! A facilitator will confirm you as presenter."))
            return _back(theme, "#presenters")
    return render(request, "themes/volunteer.html", {"theme": theme, "form": form})


@member_required
def presenter_invite(request, pk: int):
    theme = get_object_or_404(Theme.objects.prefetch_related("presenter_roles"), pk=pk)
    if not rules.has_perm("themes.invite_presenter", request.user, theme):
        raise Http404
    form = InviteForm(request.POST or None, theme=theme, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.presenter_invite(theme=theme, by=request.user, member=form.cleaned_data["member"])
        except services.ThemeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s is invited to co-present.") % {"name": role.member})
            return _back(theme, "#presenters")
    return render(request, "themes/invite.html", {"theme": theme, "form": form})


@member_required
@require_POST
def invitation_respond(request, pk: int):
    theme = _theme(pk)
    if not theme.presenter_roles.filter(member=request.user, status=PresenterStatus.INVITED).exists():
        raise Http404
    accept = request.POST.get("answer") == "accept"
    try:
        services.presenter_respond(theme=theme, member=request.user, accept=accept)
    except services.ThemeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You are now a presenter of this theme.") if accept else _("Invitation declined."))
    return _back(theme, "#presenters")


@facilitator_required
@require_POST
def presenter_confirm(request, pk: int, role_pk: int):
    role = get_object_or_404(PresenterRole.objects.select_related("theme", "member"), pk=role_pk, theme_id=pk)
    try:
        services.presenter_confirm(role=role, by=request.user)
    except services.ThemeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is confirmed as presenter.") % {"name": role.member})
    return _back(role.theme, "#presenters")


@member_required
@require_POST
def presenter_remove(request, pk: int, role_pk: int):
    """A facilitator removes a presenter; a presenter steps down."""
    role = get_object_or_404(PresenterRole.objects.select_related("theme", "member"), pk=role_pk, theme_id=pk)
    if not rules.has_perm("themes.remove_presenter", request.user, role):
        raise Http404
    services.presenter_remove(role=role, by=request.user)
    messages.success(request, _("Presenter removed."))
    return _back(role.theme, "#presenters")


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


def _sheet_theme(request, pk: int) -> Theme:
    theme = get_object_or_404(
        Theme.objects.prefetch_related("presenter_roles"), pk=pk, state__in=[*OPEN_STATES, ThemeState.PRESENTED]
    )
    if not rules.has_perm("themes.edit_sheet", request.user, theme):
        raise Http404
    return theme


@member_required
def sheet_edit(request, pk: int):
    theme = _sheet_theme(request, pk)
    sheet = ExperienceSheet.objects.filter(theme=theme).first()
    form = SheetForm(request.POST or None, instance=sheet)
    if request.method == "POST" and form.is_valid():
        services.sheet_update(theme=theme, by=request.user, **form.cleaned_data)
        messages.success(request, _("Experience sheet saved."))
        return _back(theme, "#sheet")
    attachments = list(sheet.attachments.all()) if sheet else []
    return render(
        request,
        "themes/sheet.html",
        {"theme": theme, "form": form, "attachment_form": AttachmentForm(), "attachments": attachments},
    )


@member_required
def attachment_add(request, pk: int):
    theme = _sheet_theme(request, pk)
    if request.method != "POST":
        # Reached by GET after an error page (a language switch, a bookmark): back to the sheet.
        return redirect("themes:sheet", pk=theme.pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        services.sheet_attachment_add(
            theme=theme,
            by=request.user,
            title=form.cleaned_data["title"],
            url=form.cleaned_data["url"],
            file=form.cleaned_data["file"],
        )
        messages.success(request, _("Added to the experience sheet."))
        return redirect("themes:sheet", pk=theme.pk)
    sheet = ExperienceSheet.objects.filter(theme=theme).first()
    return render(
        request,
        "themes/sheet.html",
        {
            "theme": theme,
            "form": SheetForm(instance=sheet),
            "attachment_form": form,
            "attachments": list(sheet.attachments.all()) if sheet else [],
        },
        status=400,
    )


@member_required
@require_POST
def attachment_delete(request, pk: int, attachment_pk: int):
    theme = _sheet_theme(request, pk)
    attachment = get_object_or_404(
        SheetAttachment.objects.select_related("sheet__theme"), pk=attachment_pk, sheet__theme=theme
    )
    services.sheet_attachment_delete(attachment=attachment, by=request.user)
    messages.success(request, _("Removed from the experience sheet."))
    return redirect("themes:sheet", pk=theme.pk)


@member_required
def question_create(request, pk: int):
    theme = _theme(pk)
    if request.method != "POST":
        # Reached by GET after an error page (a language switch, a bookmark): back to the theme.
        return _back(theme, "#questions")
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_ask(theme=theme, author=request.user, body=form.cleaned_data["body"])
        except services.ThemeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your question is sent to the presenters."))
            return _back(theme, "#questions")
        return _back(theme, "#questions")
    return render(request, "themes/detail.html", _detail_context(request, pk, question_form=form), status=400)


def _question(request, pk: int, question_pk: int) -> Question:
    question = get_object_or_404(Question.objects.select_related("theme"), pk=question_pk, theme_id=pk)
    if question.hidden_at and not is_facilitator(request.user):
        raise Http404
    return question


@member_required
@require_POST
def question_vote(request, pk: int, question_pk: int):
    question = _question(request, pk, question_pk)
    voted = request.POST.get("voted") == "1"
    try:
        count = services.question_vote(question=question, member=request.user, voted=voted)
    except services.ThemeError as error:
        if not _is_htmx(request):
            messages.error(request, str(error))
            return _back(question.theme, "#questions")
        count, voted = question.votes.count(), False
    if _is_htmx(request):
        question.vote_count, question.has_voted = count, voted
        return render(
            request,
            "themes/includes/_question_vote.html",
            {"question": question, "theme": question.theme, "can_vote": question.theme.state in OPEN_STATES},
        )
    return _back(question.theme, f"#question-{question.pk}")


@member_required
def question_answer(request, pk: int, question_pk: int):
    question = _question(request, pk, question_pk)
    theme = get_object_or_404(Theme.objects.prefetch_related("presenter_roles"), pk=pk)
    if not rules.has_perm("themes.answer_question", request.user, theme):
        raise Http404
    form = AnswerForm(request.POST or None, initial={"answer": question.answer})
    if request.method == "POST" and form.is_valid():
        answered = request.POST.get("answered", "1") == "1"
        services.question_answer(
            question=question, by=request.user, answer=form.cleaned_data["answer"], answered=answered
        )
        messages.success(request, _("Question marked as answered.") if answered else _("Question reopened."))
        return _back(theme, f"#question-{question.pk}")
    return render(request, "themes/answer.html", {"theme": theme, "question": question, "form": form})


@facilitator_required
@require_POST
def question_hide(request, pk: int, question_pk: int):
    question = _question(request, pk, question_pk)
    hidden = request.POST.get("hidden", "1") == "1"
    services.question_set_hidden(question=question, by=request.user, hidden=hidden)
    messages.success(request, _("Question hidden.") if hidden else _("Question shown again."))
    return _back(question.theme, "#questions")


@member_required
def attachment_file(request, pk: int):
    """An experience-sheet file, for members (themes are open to every member)."""
    attachment = get_object_or_404(SheetAttachment, pk=pk)
    return file_download(attachment.file)
