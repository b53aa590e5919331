"""Questions on a theme: asked, voted, answered, hidden."""

import rules
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.access import facilitator_required, member_required

from .. import services
from ..forms import (
    AnswerForm,
    QuestionForm,
)
from ..models import Question, Theme
from .common import _back, _is_htmx, _theme
from .theme import _detail_context


@member_required
def question_create(request, pk: int):
    theme = _theme(pk)
    if request.method != "POST":
        # Reached by GET after an error page (a language switch, a bookmark): back to the theme.
        return _back(theme, "#questions")
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_ask(
                theme=theme, author=request.user, body=form.cleaned_data["body"], language=form.cleaned_data["language"]
            )
        except services.ThemeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your question is sent to the presenters."))
            return _back(theme, "#questions")
        return _back(theme, "#questions")
    return render(request, "themes/detail.html", _detail_context(request, pk, question_form=form), status=400)


def _question(request, pk: int, question_pk: int) -> Question:
    question = get_object_or_404(Question.objects.select_related("theme"), pk=question_pk, theme_id=pk)
    if question.hidden_at and not rules.has_perm("themes.see_hidden_questions", request.user, question.theme):
        raise Http404
    return question


@member_required
@require_POST
def question_vote(request, pk: int, question_pk: int):
    question = _question(request, pk, question_pk)
    voted = request.POST.get("voted") == "1"
    can_vote = rules.has_perm("themes.vote_question", request.user, question.theme)
    try:
        if not can_vote:
            raise services.ThemeError(_("This theme no longer takes questions."))
        count = services.question_vote(question=question, member=request.user, voted=voted)
    except services.ThemeError as error:
        if not _is_htmx(request):
            messages.error(request, str(error))
            return _back(question.theme, "#questions")
        count, voted = question.votes.count(), question.votes.filter(member=request.user).exists()
    if _is_htmx(request):
        question.vote_count, question.has_voted = count, voted
        return render(
            request,
            "themes/includes/_question_vote.html",
            {
                "question": question,
                "theme": question.theme,
                "can_vote": can_vote,
            },
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
