"""Contributions to the guide: writing them, their edits, and the review workflow."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community import audit
from community.enums import AuditKind
from community.languages import content_language_of
from community.rules import is_guide_editor, is_member

from ..cache import GUIDE
from ..enums import DELETABLE_STATES, EDITABLE_STATES, Actor, ContributionState, Credit
from ..models import Chapter, CoAuthor, Contribution, ContributionTransition
from ..tasks import notify_author_of_transition, notify_editors_of_submission
from .coauthors import coauthors_set, is_confirmed_coauthor
from .pdf_builds import guide_changed

logger = logging.getLogger(__name__)

AUDIT_KINDS = {
    ContributionState.PUBLISHED: AuditKind.ENTRY_PUBLISHED,
    ContributionState.REJECTED: AuditKind.ENTRY_REJECTED,
}

S = ContributionState


@dataclass(frozen=True)
class Move:
    actor: str
    label: str
    needs_comment: bool = False


# The review workflow: every allowed move and who may make it. Anything else is refused.
TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.DRAFT, S.SUBMITTED): Move(Actor.AUTHOR, _("Submit for review")),
    (S.CHANGES_REQUESTED, S.SUBMITTED): Move(Actor.AUTHOR, _("Resubmit")),
    (S.SUBMITTED, S.DRAFT): Move(Actor.AUTHOR, _("Withdraw to draft")),
    (S.SUBMITTED, S.IN_REVIEW): Move(Actor.EDITOR, _("Start review")),
    (S.SUBMITTED, S.CHANGES_REQUESTED): Move(Actor.EDITOR, _("Request changes"), needs_comment=True),
    (S.IN_REVIEW, S.CHANGES_REQUESTED): Move(Actor.EDITOR, _("Request changes"), needs_comment=True),
    (S.SUBMITTED, S.ACCEPTED): Move(Actor.EDITOR, _("Accept")),
    (S.IN_REVIEW, S.ACCEPTED): Move(Actor.EDITOR, _("Accept")),
    (S.SUBMITTED, S.REJECTED): Move(Actor.EDITOR, _("Reject"), needs_comment=True),
    (S.IN_REVIEW, S.REJECTED): Move(Actor.EDITOR, _("Reject"), needs_comment=True),
    (S.ACCEPTED, S.PUBLISHED): Move(Actor.EDITOR, _("Publish")),
    (S.PUBLISHED, S.ACCEPTED): Move(Actor.EDITOR, _("Unpublish")),
}


class TransitionError(Exception):
    """A move the workflow does not allow (wrong state, wrong person, missing comment)."""


class StaleEditError(Exception):
    """The text changed since the editing form was opened."""


class TranslationError(Exception):
    """A translation the guide cannot take (of an unpublished entry, into its own language)."""


class NotEditableError(Exception):
    """The author may no longer change this contribution."""


def _may_act(user, actor: str, contribution: Contribution) -> bool:
    if actor == Actor.AUTHOR:
        return bool(user and contribution.author_id == user.pk and is_member(user))
    return bool(user and is_guide_editor(user))


def allowed_moves(*, contribution: Contribution, user) -> list[tuple[str, Move]]:
    """The target states this user may move this contribution to now."""
    return [
        (to, move)
        for (frm, to), move in TRANSITIONS.items()
        if frm == contribution.state and _may_act(user, move.actor, contribution)
    ]


def contribution_transition(
    *, contribution: Contribution, to: str, by, comment: str = "", expected_from: frozenset | None = None
) -> ContributionTransition:
    """Move a contribution to another state of the review workflow.

    Locks the row, checks the move against ``TRANSITIONS`` (state and role), saves the
    state with ``update_fields``, records a ``ContributionTransition`` (who, when, comment)
    and, for an editor's move, queues an email to the author on commit; a submission or a
    resubmission queues one to the guide editors who want it. Publishing and
    rejecting are recorded in the audit trail.
    Raises ``TransitionError`` and changes nothing when the move is not allowed, or when
    ``expected_from`` is given and the current state is not in it (an admin action such as
    "Accept" must never act as "Unpublish").
    """
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        frm = locked.state
        move = TRANSITIONS.get((frm, to))
        if move is None or (expected_from is not None and frm not in expected_from):
            raise TransitionError(
                _("“%(title)s” cannot go from “%(from)s” to “%(to)s”.")
                % {"title": locked.title, "from": S(frm).label, "to": S(to).label}
            )
        if not _may_act(by, move.actor, locked):
            raise TransitionError(
                _("Only %(actor)s may do this to “%(title)s”.")
                % {"actor": Actor(move.actor).label, "title": locked.title}
            )
        if move.needs_comment and not comment:
            raise TransitionError(_("Please explain why, in a comment for the author."))
        if to == S.SUBMITTED and not locked.licence_consent:
            raise TransitionError(
                _("“%(title)s” cannot go to the editors yet: edit it and agree to the guide's licence.")
                % {"title": locked.title}
            )
        if to == S.PUBLISHED and not locked.licence_consent:
            raise TransitionError(
                _("“%(title)s” cannot be published: its author has not consented to the licence.")
                % {"title": locked.title}
            )
        now = timezone.now()
        locked.state = to
        locked.state_changed_at = now
        fields = ["state", "state_changed_at", "updated_at"]
        if to == S.PUBLISHED:
            locked.published_at = now
            fields.append("published_at")
            if locked.order == 0:
                # Not placed by an editor yet: it goes at the end of its chapter.
                last = Contribution.objects.filter(chapter_id=locked.chapter_id).aggregate(m=Max("order"))["m"] or 0
                locked.order = last + 1
                fields.append("order")
        locked._change_reason = f"{frm} → {to}"
        locked.save(update_fields=fields)
        if to in AUDIT_KINDS:
            url = locked.get_absolute_url() if to == ContributionState.PUBLISHED and locked.chapter_id else ""
            audit.record(kind=AUDIT_KINDS[to], actor=by, target=locked, note=comment, url=url)
        step = ContributionTransition.objects.create(
            contribution=locked,
            from_state=frm,
            to_state=to,
            by=by,
            comment=comment,
            by_editor=move.actor == Actor.EDITOR,
        )
        if S.PUBLISHED in (frm, to):
            guide_changed()
        if move.actor == Actor.EDITOR and locked.author_id and locked.author_id != getattr(by, "pk", None):
            transaction.on_commit(lambda: notify_author_of_transition.delay(transition_id=step.pk))
        if to == S.SUBMITTED:
            transaction.on_commit(lambda: notify_editors_of_submission.delay(transition_id=step.pk))
    # The caller's object reflects the new state too.
    contribution.state = locked.state
    contribution.state_changed_at = locked.state_changed_at
    contribution.published_at = locked.published_at
    contribution.order = locked.order
    return step


def contribution_create(
    *,
    author,
    kind: str,
    title: str,
    body: str,
    chapter: Chapter,
    centre=None,
    source_theme=None,
    source_meeting=None,
    source_resource=None,
    licence_consent: bool,
    credit: str = Credit.NAME,
    language: str = "",
    translation_of: Contribution | None = None,
    coauthors=(),
    submit: bool = False,
) -> Contribution:
    """Create a member's contribution as a draft, and submit it at once if asked.

    ``language`` is the author's by default. A translation (``translation_of``, a published
    entry) records the version of the original it was made from, so readers learn when the
    original changed since; it must be in another language than the original
    (``TranslationError``) and goes through the same review as any contribution.
    Side effects: a history record; the ``coauthors`` invited (``coauthors_set``); with
    ``submit``, a transition to "submitted".
    """
    language = language or content_language_of(author)
    if translation_of is not None:
        if translation_of.state != S.PUBLISHED or translation_of.translation_of_id:
            raise TranslationError(_("Only a published original entry can be translated."))
        if language == translation_of.language:
            raise TranslationError(_("A translation must be in another language than the original."))
    with transaction.atomic():
        contribution = Contribution(
            author=author,
            kind=kind,
            title=title,
            body=body,
            chapter=chapter,
            centre=centre,
            source_theme=source_theme,
            source_meeting=source_meeting,
            source_resource=source_resource,
            licence_consent=licence_consent,
            credit=credit,
            language=language,
            translation_of=translation_of,
            original_version=translation_of.version if translation_of else None,
            state=S.DRAFT,
        )
        contribution.save()
        if coauthors:
            coauthors_set(contribution=contribution, members=coauthors, by=author)
        if submit:
            contribution_transition(contribution=contribution, to=S.SUBMITTED, by=author)
    return contribution


AUTHOR_FIELDS = (
    "kind",
    "title",
    "body",
    "chapter",
    "centre",
    "source_theme",
    "source_meeting",
    "source_resource",
    "licence_consent",
    "credit",
    "language",
)
# What a consenting co-author may change: the text and where it goes, not the author's own
# choices (credit, consent to the licence, centre) nor who the co-authors are.
COAUTHOR_FIELDS = ("kind", "title", "body", "chapter", "source_theme", "source_meeting", "source_resource", "language")


def contribution_update(
    *, contribution: Contribution, by, version: int, submit: bool = False, coauthors=None, **fields
) -> Contribution:
    """The author changes a draft or an entry with changes requested, and may resubmit it; a
    co-author who consented may change its text too (``COAUTHOR_FIELDS``), never submit it.

    Locks the row; refuses an edit based on an older version (``StaleEditError``) or of a
    contribution no longer editable (``NotEditableError``). Bumps the version and writes a
    history record; with ``submit``, moves it to "submitted". A translation edited now is
    taken to follow the original's current version. The author may name the co-authors again
    (``coauthors``, see ``coauthors_set``).
    """
    unknown = set(fields) - set(AUTHOR_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        is_author = locked.author_id == by.pk
        if locked.state not in EDITABLE_STATES or not (
            is_author or is_confirmed_coauthor(contribution=locked, member=by)
        ):
            raise NotEditableError(_("This contribution can no longer be changed."))
        if not is_author and (submit or coauthors is not None or set(fields) - set(COAUTHOR_FIELDS)):
            raise NotEditableError(_("Only the author may change this."))
        if locked.version != version:
            raise StaleEditError(
                _(
                    "This contribution was changed in the meantime. "
                    "Copy your text, reload the page and apply your changes again."
                )
            )
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.version += 1
        extra = []
        if locked.translation_of_id:
            original = Contribution.objects.only("version", "language").get(pk=locked.translation_of_id)
            if locked.language == original.language:
                raise TranslationError(_("A translation must be in another language than the original."))
            locked.original_version = original.version
            extra.append("original_version")
        locked.save(update_fields=[*fields, *extra, "version", "updated_at"])
        if coauthors is not None:
            coauthors_set(contribution=locked, members=coauthors, by=by)
        if submit:
            contribution_transition(contribution=locked, to=S.SUBMITTED, by=by)
    return locked


def contribution_delete_draft(*, contribution: Contribution, by) -> None:
    """The author deletes a draft never submitted. Its history goes with it."""
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if locked.author_id != by.pk or locked.state not in DELETABLE_STATES:
            raise NotEditableError(_("Only a draft can be deleted."))
        pk = locked.pk
        locked.delete()
        # After the delete, which writes one last history record.
        Contribution.history.filter(id=pk).delete()


# States whose text stays in the guide when its author leaves (credited anonymously).
KEPT_ON_ERASURE = (S.PUBLISHED, S.ACCEPTED)


def member_data_erase(*, member) -> None:
    """Before an account is deleted: published (and accepted) entries stay, credited
    anonymously; every other contribution and its history is removed."""
    with transaction.atomic():
        mine = Contribution.objects.select_for_update().filter(author=member)
        removed = list(mine.exclude(state__in=KEPT_ON_ERASURE).values_list("pk", flat=True))
        Contribution.objects.filter(pk__in=removed).delete()  # a queryset delete writes no history
        Contribution.history.filter(id__in=removed).delete()
        kept = list(mine.values_list("pk", flat=True))
        # updated_at changes the PDF's fingerprint: the erased name leaves the PDF with the next build.
        Contribution.objects.filter(pk__in=kept).update(author=None, credit=Credit.ANONYMOUS, updated_at=timezone.now())
        GUIDE.changed()  # a queryset update sends no save signal: the credits changed
        Contribution.history.filter(id__in=kept).update(author=None, credit=Credit.ANONYMOUS)
        Contribution.history.filter(history_user=member).update(history_user=None)
        # Entries crediting them as co-author lose the credit with the account (the rows cascade).
        coauthored = list(
            Contribution.objects.filter(coauthors__member=member, coauthors__consented_at__isnull=False)
            .filter(state=S.PUBLISHED)
            .values_list("pk", flat=True)
        )
        CoAuthor.objects.filter(member=member).delete()
        if coauthored:
            Contribution.objects.filter(pk__in=coauthored).update(updated_at=timezone.now())
            GUIDE.changed()
        if kept or coauthored:
            guide_changed()


@dataclass(frozen=True)
class EditorAction:
    """One admin action: a move to ``to`` from any of ``sources``."""

    name: str
    label: str
    to: str
    sources: frozenset

    @property
    def needs_comment(self) -> bool:
        return any(TRANSITIONS[(frm, self.to)].needs_comment for frm in self.sources)


EDITOR_ACTIONS: tuple[EditorAction, ...] = (
    EditorAction("start_review", _("Start review"), S.IN_REVIEW, frozenset({S.SUBMITTED})),
    EditorAction("request_changes", _("Request changes"), S.CHANGES_REQUESTED, frozenset({S.SUBMITTED, S.IN_REVIEW})),
    EditorAction("accept", _("Accept"), S.ACCEPTED, frozenset({S.SUBMITTED, S.IN_REVIEW})),
    EditorAction("reject", _("Reject"), S.REJECTED, frozenset({S.SUBMITTED, S.IN_REVIEW})),
    EditorAction("publish", _("Publish"), S.PUBLISHED, frozenset({S.ACCEPTED})),
    EditorAction("unpublish", _("Unpublish"), S.ACCEPTED, frozenset({S.PUBLISHED})),
)
# Every admin action is a move of the table, made by an editor.
assert all(TRANSITIONS[(f, a.to)].actor == Actor.EDITOR for a in EDITOR_ACTIONS for f in a.sources)


def contribution_editor_action(
    *, contribution: Contribution, action: EditorAction, by, comment: str = ""
) -> ContributionTransition:
    """Apply one admin action to one contribution (see ``contribution_transition`` for side effects).

    Refuses (``TransitionError``) when the contribution is not in one of the action's source
    states, checked under the row lock.
    """
    return contribution_transition(
        contribution=contribution, to=action.to, by=by, comment=comment, expected_from=action.sources
    )
