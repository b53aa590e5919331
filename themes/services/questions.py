"""Members' questions on a theme: asked, voted, answered, hidden."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import audit
from community.enums import AuditKind
from community.fragments import MEMBER_PAGES
from community.languages import content_language_of
from community.rules import is_facilitator

from ..enums import (
    OPEN_STATES,
    PRESENTING_STATUSES,
)
from ..kept import PAGES
from ..models import (
    Question,
    QuestionVote,
    Theme,
)
from .lifecycle import ThemeError


def question_ask(*, theme: Theme, author, body: str, language: str = "") -> Question:
    """Send a question to the presenters, before or during the session, in ``language``
    (by default the author's)."""
    if theme.state not in OPEN_STATES:
        raise ThemeError(_("This theme no longer takes questions."))
    return Question.objects.create(
        theme=theme, author=author, body=body.strip(), language=language or content_language_of(author)
    )


def question_vote(*, question: Question, member, voted: bool) -> int:
    """Up-vote (or take back a vote). Idempotent; returns the vote count afterwards."""
    if voted:
        if question.author_id == member.pk:
            raise ThemeError(_("You cannot up-vote your own question."))
        QuestionVote.objects.bulk_create([QuestionVote(question=question, member=member)], ignore_conflicts=True)
        PAGES.changed()  # a bulk write sends no signal: the kept questions show the new count
        MEMBER_PAGES.changed()
    else:
        QuestionVote.objects.filter(question=question, member=member).delete()
    return QuestionVote.objects.filter(question=question).count()


@transaction.atomic
def question_answer(*, question: Question, by, answer: str = "", answered: bool = True) -> Question:
    """A presenter (or facilitator) marks a question answered, optionally with a reply, or reopens it."""
    question = Question.objects.select_for_update().select_related("theme").get(pk=question.pk)
    if not (
        is_facilitator(by) or question.theme.presenter_roles.filter(member=by, status__in=PRESENTING_STATUSES).exists()
    ):
        raise ThemeError(_("Only the presenters of this theme can answer its questions."))
    if answered:
        question.answered_at, question.answered_by, question.answer = timezone.now(), by, answer.strip()
    else:
        question.answered_at, question.answered_by, question.answer = None, None, ""
    question.save(update_fields=["answered_at", "answered_by", "answer"])
    return question


@transaction.atomic
def question_set_hidden(*, question: Question, by, hidden: bool) -> Question:
    """A facilitator hides an inappropriate question (or shows it again); the audit trail records it."""
    if not is_facilitator(by):
        raise ThemeError(_("Only a facilitator can do this."))
    question = Question.objects.select_for_update().get(pk=question.pk)
    question.hidden_at, question.hidden_by = (timezone.now(), by) if hidden else (None, None)
    question.save(update_fields=["hidden_at", "hidden_by"])
    kind = AuditKind.QUESTION_HIDDEN if hidden else AuditKind.QUESTION_SHOWN
    audit.record(kind=kind, actor=by, target=question.theme, note=question.body[:500])
    return question
