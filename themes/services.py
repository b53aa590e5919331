"""Every write on themes that has rules or side effects."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import services as audit
from audit.enums import AuditKind
from community.rules import is_facilitator
from meetings.enums import AgendaKind, MeetingState
from meetings.models import AgendaItem, Meeting

from .enums import (
    MAX_PRESENTERS,
    OPEN_STATES,
    PRESENTING_STATUSES,
    SLOT_STATUSES,
    PresenterStatus,
    ThemeState,
)
from .models import (
    ExperienceSheet,
    PresenterRole,
    Question,
    QuestionVote,
    SheetAttachment,
    Theme,
    ThemeInterest,
    ThemeTransition,
)


class ThemeError(Exception):
    """A refused action, with a message meant for the member who tried it."""


FACILITATOR = "facilitator"
PROPOSER = "proposer"

# The only moves a theme's state can make, and who may make each of them.
TRANSITIONS: dict[tuple[str, str], str] = {
    (ThemeState.PROPOSED, ThemeState.SCHEDULED): FACILITATOR,
    (ThemeState.PROPOSED, ThemeState.WITHDRAWN): PROPOSER,
    (ThemeState.PROPOSED, ThemeState.DECLINED): FACILITATOR,
    (ThemeState.SCHEDULED, ThemeState.SCHEDULED): FACILITATOR,  # moved to another meeting
    (ThemeState.SCHEDULED, ThemeState.PROPOSED): FACILITATOR,  # taken off its meeting
    (ThemeState.SCHEDULED, ThemeState.PRESENTED): FACILITATOR,
    (ThemeState.PRESENTED, ThemeState.ARCHIVED): FACILITATOR,
}


def allowed_moves(*, theme: Theme, user) -> list[str]:
    """The states ``user`` may move ``theme`` to from where it is now."""
    return [
        to
        for (source, to), actor in TRANSITIONS.items()
        if source == theme.state and _may_act(actor, theme, user) and not _too_early(theme, to)
    ]


def _too_early(theme: Theme, to: str) -> bool:
    """A theme is presented at its meeting: not before that meeting has begun."""
    return to == ThemeState.PRESENTED and theme.meeting is not None and theme.meeting.starts_at > timezone.now()


def _may_act(actor: str, theme: Theme, user) -> bool:
    if actor == FACILITATOR:
        return is_facilitator(user)
    return user is not None and theme.proposer_id == user.pk


def schedulable_meetings():
    """Meetings a theme may be placed on: published and still to come."""
    return Meeting.objects.filter(state=MeetingState.PUBLISHED, starts_at__gt=timezone.now()).order_by("starts_at")


# ---------------------------------------------------------------- themes


@transaction.atomic
def theme_propose(
    *,
    proposer,
    title: str,
    summary: str,
    reason: str,
    topics: list[str] | None = None,
    can_present: bool = False,
    pitch: str = "",
) -> Theme:
    """Create a theme in the *proposed* state.

    Side effects: records the first history entry; when the proposer can present it,
    they take the first presenter slot (as a volunteer, to be confirmed by a facilitator).
    """
    theme = Theme.objects.create(
        title=title,
        summary=summary,
        reason=reason,
        proposer=proposer,
        state_changed_at=timezone.now(),
        state_changed_by=proposer,
    )
    if topics:
        theme.topics.set(topics)
    ThemeTransition.objects.create(
        theme=theme, from_state=ThemeState.PROPOSED, to_state=ThemeState.PROPOSED, by=proposer
    )
    if can_present:
        PresenterRole.objects.create(
            theme=theme, member=proposer, status=PresenterStatus.VOLUNTEERED, slot=1, pitch=pitch
        )
    return theme


@transaction.atomic
def theme_update(*, theme: Theme, by, title: str, summary: str, reason: str, topics: list[str]) -> Theme:
    """Reword a theme. Side effects: renames its agenda item when it is scheduled."""
    theme.title, theme.summary, theme.reason = title, summary, reason
    theme.save(update_fields=["title", "summary", "reason", "updated_at"])
    theme.topics.set(topics)
    if theme.agenda_item_id:
        AgendaItem.objects.filter(pk=theme.agenda_item_id).update(title=title[:200])
    return theme


@transaction.atomic
def theme_transition(*, theme: Theme, to: str, by, meeting: Meeting | None = None, note: str = "") -> Theme:
    """Move a theme to another state: the one function that changes ``Theme.state``.

    Checks the move against ``TRANSITIONS`` and who may make it. Scheduling needs a
    published, upcoming ``meeting`` and fills (or creates) that meeting's *Human
    bookstore* agenda item with the theme and its presenters; leaving *scheduled* for
    *proposed* empties the item again. Declining needs a ``note`` (the reason).

    Side effects: saves the theme, records a ``ThemeTransition``, and after commit
    queues an email to the proposer, the presenters and the interested members.
    """
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    source, previous_meeting = theme.state, theme.meeting
    actor = TRANSITIONS.get((source, to))
    if actor is None:
        raise ThemeError(
            _("A theme that is “%(source)s” cannot become “%(to)s”.")
            % {"source": ThemeState(source).label, "to": ThemeState(to).label if to in ThemeState.values else to}
        )
    if not _may_act(actor, theme, by):
        raise ThemeError(
            _("Only a facilitator can do this.") if actor == FACILITATOR else _("Only the proposer can do this.")
        )
    note = note.strip()
    if to == ThemeState.DECLINED and not note:
        raise ThemeError(_("Please give the reason for declining this theme."))
    if _too_early(theme, to):
        raise ThemeError(_("A theme can be marked as presented once its meeting has begun."))

    fields = ["state", "state_changed_at", "state_changed_by", "state_note", "updated_at"]
    if to == ThemeState.SCHEDULED:
        if meeting is None or not schedulable_meetings().filter(pk=meeting.pk).exists():
            raise ThemeError(_("Choose a published meeting that has not started yet."))
        if source == ThemeState.SCHEDULED and meeting.pk == theme.meeting_id:
            raise ThemeError(_("This theme is already placed on that meeting."))
        _empty_agenda_item(theme)
        _fill_agenda_item(theme, meeting)
        fields += ["meeting", "agenda_item"]
    elif source == ThemeState.SCHEDULED and to == ThemeState.PROPOSED:
        _empty_agenda_item(theme)
        fields += ["meeting", "agenda_item"]

    theme.state = to
    theme.state_changed_at = timezone.now()
    theme.state_changed_by = by
    theme.state_note = note
    theme.save(update_fields=fields)
    transition = ThemeTransition.objects.create(
        theme=theme, from_state=source, to_state=to, by=by, note=note, meeting=theme.meeting or previous_meeting
    )

    from .tasks import notify_theme_transition

    transaction.on_commit(lambda: notify_theme_transition.delay(transition_id=transition.pk))
    return theme


def _fill_agenda_item(theme: Theme, meeting: Meeting) -> None:
    # Lock the meeting so two themes scheduled at once on it never pick the same free item.
    list(Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk", flat=True))
    taken = Theme.objects.filter(agenda_item=OuterRef("pk"))
    item = (
        AgendaItem.objects.select_for_update()
        .filter(meeting=meeting, kind=AgendaKind.HUMAN_BOOKSTORE)
        .exclude(Exists(taken))
        .order_by("position", "pk")
        .first()
    )
    if item is None:
        last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"]
        item = AgendaItem.objects.create(
            meeting=meeting,
            kind=AgendaKind.HUMAN_BOOKSTORE,
            title=theme.title[:200],
            duration_minutes=30,
            position=(last or 0) + 1,
        )
    else:
        item.title = theme.title[:200]
        item.save(update_fields=["title"])
    theme.meeting = meeting
    theme.agenda_item = item
    item.leads.set(_presenting_members(theme))


def _empty_agenda_item(theme: Theme) -> None:
    if theme.agenda_item_id:
        item = AgendaItem.objects.select_for_update().get(pk=theme.agenda_item_id)
        with translation.override(settings.LANGUAGE_CODE):
            item.title = str(AgendaKind.HUMAN_BOOKSTORE.label)
        item.save(update_fields=["title"])
        item.leads.clear()
    theme.meeting = None
    theme.agenda_item = None


def _presenting_members(theme: Theme) -> list:
    return [
        role.member
        for role in theme.presenter_roles.filter(status__in=PRESENTING_STATUSES, member__isnull=False).select_related(
            "member"
        )
    ]


def _sync_leads(theme: Theme) -> None:
    """Keep the agenda item's leads equal to the theme's presenters."""
    if theme.agenda_item_id:
        AgendaItem.objects.get(pk=theme.agenda_item_id).leads.set(_presenting_members(theme))


# ---------------------------------------------------------------- interest


def theme_set_interest(*, theme: Theme, member, interested: bool) -> int:
    """Say (or take back) that ``member`` is interested. Idempotent: a double submit counts once.

    Returns the theme's interest count afterwards.
    """
    if interested:
        if theme.state not in OPEN_STATES:
            raise ThemeError(_("This theme no longer collects interest."))
        ThemeInterest.objects.bulk_create([ThemeInterest(theme=theme, member=member)], ignore_conflicts=True)
    else:
        ThemeInterest.objects.filter(theme=theme, member=member).delete()
    return ThemeInterest.objects.filter(theme=theme).count()


# ---------------------------------------------------------------- presenters


def _lock_roles(theme: Theme) -> tuple[Theme, list[PresenterRole]]:
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    return theme, list(PresenterRole.objects.select_for_update().filter(theme=theme))


def _free_slot(roles: list[PresenterRole]) -> int | None:
    taken = {role.slot for role in roles if role.slot}
    return next((slot for slot in range(1, MAX_PRESENTERS + 1) if slot not in taken), None)


def _take_slot(*, theme: Theme, member, roles: list[PresenterRole], status: str, **fields) -> PresenterRole:
    """Give ``member`` a free slot; the (theme, slot) constraint refuses a third presenter."""
    full = ThemeError(_("This theme already has two presenters."))
    slot = _free_slot(roles)
    if slot is None:
        raise full
    role = next((r for r in roles if r.member_id == member.pk), None) or PresenterRole(theme=theme, member=member)
    role.status, role.slot = status, slot
    role.status_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(role, name, value)
    try:
        with transaction.atomic():
            role.save()
    except IntegrityError as exc:
        raise full from exc
    return role


@transaction.atomic
def presenter_volunteer(*, theme: Theme, member, pitch: str = "") -> PresenterRole:
    """Offer to lead a theme's session. At most two presenters, even under concurrent offers.

    A member who was invited accepts the invitation this way. Side effects: the
    scheduled meeting's agenda item lists the new presenter.
    """
    theme, roles = _lock_roles(theme)
    if theme.state not in OPEN_STATES:
        raise ThemeError(_("This theme no longer looks for presenters."))
    mine = next((r for r in roles if r.member_id == member.pk), None)
    if mine and mine.status in PRESENTING_STATUSES:
        raise ThemeError(_("You already volunteered to present this theme."))
    if mine and mine.status == PresenterStatus.INVITED:
        mine.status, mine.pitch = PresenterStatus.VOLUNTEERED, pitch or mine.pitch
        mine.status_changed_at, mine.status_changed_by = timezone.now(), member
        mine.save(update_fields=["status", "pitch", "status_changed_at", "status_changed_by"])
        role = mine
    else:
        role = _take_slot(
            theme=theme,
            member=member,
            roles=roles,
            status=PresenterStatus.VOLUNTEERED,
            pitch=pitch,
            status_changed_by=member,
        )
    _sync_leads(theme)
    return role


@transaction.atomic
def presenter_invite(*, theme: Theme, by, member) -> PresenterRole:
    """A presenter invites a co-presenter, who holds the second slot until they answer.

    Side effects: after commit, an email to the invited member.
    """
    theme, roles = _lock_roles(theme)
    if theme.state not in OPEN_STATES:
        raise ThemeError(_("This theme no longer looks for presenters."))
    if not any(r.member_id == by.pk and r.status in PRESENTING_STATUSES for r in roles):
        raise ThemeError(_("Only a presenter of this theme can invite a co-presenter."))
    if member.pk == by.pk or not member.is_approved:
        raise ThemeError(_("Choose another member of the community."))
    mine = next((r for r in roles if r.member_id == member.pk), None)
    if mine and mine.status in SLOT_STATUSES:
        raise ThemeError(_("%(name)s is already a presenter of this theme.") % {"name": member})
    role = _take_slot(
        theme=theme,
        member=member,
        roles=roles,
        status=PresenterStatus.INVITED,
        invited_by=by,
        pitch="",
        status_changed_by=by,
    )
    from .tasks import notify_presenter_invitation

    transaction.on_commit(lambda: notify_presenter_invitation.delay(role_id=role.pk))
    return role


@transaction.atomic
def presenter_respond(*, theme: Theme, member, accept: bool) -> PresenterRole:
    """The invited member accepts (becomes a presenter) or declines (frees the slot)."""
    theme, roles = _lock_roles(theme)
    role = next((r for r in roles if r.member_id == member.pk and r.status == PresenterStatus.INVITED), None)
    if role is None:
        raise ThemeError(_("There is no invitation waiting for your answer."))
    if accept and theme.state not in OPEN_STATES:
        raise ThemeError(_("This theme no longer looks for presenters."))
    role.status = PresenterStatus.VOLUNTEERED if accept else PresenterStatus.DECLINED
    role.slot = role.slot if accept else None
    role.status_changed_at, role.status_changed_by = timezone.now(), member
    role.save(update_fields=["status", "slot", "status_changed_at", "status_changed_by"])
    _sync_leads(theme)
    return role


@transaction.atomic
def presenter_confirm(*, role: PresenterRole, by) -> PresenterRole:
    """A facilitator confirms a volunteer as presenter."""
    if not is_facilitator(by):
        raise ThemeError(_("Only a facilitator can do this."))
    role = PresenterRole.objects.select_for_update().get(pk=role.pk)
    if role.status != PresenterStatus.VOLUNTEERED:
        raise ThemeError(_("Only a volunteer can be confirmed."))
    role.status, role.status_changed_at, role.status_changed_by = PresenterStatus.CONFIRMED, timezone.now(), by
    role.save(update_fields=["status", "status_changed_at", "status_changed_by"])
    _sync_leads(role.theme)
    return role


@transaction.atomic
def presenter_remove(*, role: PresenterRole, by) -> PresenterRole:
    """A facilitator removes a presenter (or an invitation), or a presenter steps down.

    Side effects: the slot is freed and the scheduled agenda item loses that lead; a removal by
    a facilitator is recorded in the audit trail.
    """
    role = PresenterRole.objects.select_for_update().get(pk=role.pk)
    if not (is_facilitator(by) or role.member_id == by.pk):
        raise ThemeError(_("Only a facilitator can do this."))
    if role.status not in SLOT_STATUSES:
        raise ThemeError(_("This member is not a presenter of this theme."))
    role.status, role.slot = PresenterStatus.REMOVED, None
    role.status_changed_at, role.status_changed_by = timezone.now(), by
    role.save(update_fields=["status", "slot", "status_changed_at", "status_changed_by"])
    if role.member_id != by.pk:  # stepping down is the presenter's own choice, not a decision on them
        audit.record(kind=AuditKind.PRESENTER_REMOVED, actor=by, target=role.theme, note=str(role.member or ""))
    _sync_leads(role.theme)
    return role


# ---------------------------------------------------------------- experience sheet


def _check_presenter(theme: Theme, user) -> None:
    if not theme.presenter_roles.filter(member=user, status__in=PRESENTING_STATUSES).exists():
        raise ThemeError(_("Only the presenters of this theme can edit its experience sheet."))


@transaction.atomic
def sheet_update(
    *, theme: Theme, by, activity: str, strengths: str, weaknesses: str, transferability: str
) -> ExperienceSheet:
    """Write the experience sheet (created on first save)."""
    _check_presenter(theme, by)
    sheet, _created = ExperienceSheet.objects.select_for_update().get_or_create(theme=theme)
    sheet.activity, sheet.strengths, sheet.weaknesses = activity, strengths, weaknesses
    sheet.transferability, sheet.updated_by = transferability, by
    sheet.save()
    return sheet


@transaction.atomic
def sheet_attachment_add(*, theme: Theme, by, title: str, url: str = "", file=None) -> SheetAttachment:
    """Attach a link or a file (exactly one) to the experience sheet."""
    _check_presenter(theme, by)
    if bool(url) == bool(file):
        raise ThemeError(_("Give either a link or a file."))
    sheet, _created = ExperienceSheet.objects.get_or_create(theme=theme, defaults={"updated_by": by})
    return SheetAttachment.objects.create(sheet=sheet, title=title, url=url, file=file or "", added_by=by)


@transaction.atomic
def sheet_attachment_delete(*, attachment: SheetAttachment, by) -> None:
    """Remove a link or file. Side effects: the stored file is deleted after commit."""
    _check_presenter(attachment.sheet.theme, by)
    file = attachment.file
    attachment.delete()
    if file:
        transaction.on_commit(lambda: file.storage.delete(file.name))


# ---------------------------------------------------------------- questions


def question_ask(*, theme: Theme, author, body: str) -> Question:
    """Send a question to the presenters, before or during the session."""
    if theme.state not in OPEN_STATES:
        raise ThemeError(_("This theme no longer takes questions."))
    return Question.objects.create(theme=theme, author=author, body=body.strip())


def question_vote(*, question: Question, member, voted: bool) -> int:
    """Up-vote (or take back a vote). Idempotent; returns the vote count afterwards."""
    if voted:
        if question.author_id == member.pk:
            raise ThemeError(_("You cannot up-vote your own question."))
        QuestionVote.objects.bulk_create([QuestionVote(question=question, member=member)], ignore_conflicts=True)
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


# ---------------------------------------------------------------- personal data


@transaction.atomic
def member_erase(*, user) -> None:
    """Before an account is deleted: keep themes and questions, credited to a former member.

    Interest and votes go; presenter roles on themes still to come free their slot;
    on past themes they stay, without the person.
    """
    Theme.objects.filter(proposer=user).update(proposer=None)
    Theme.objects.filter(state_changed_by=user).update(state_changed_by=None)
    Question.objects.filter(author=user).update(author=None)
    Question.objects.filter(answered_by=user).update(answered_by=None)
    Question.objects.filter(hidden_by=user).update(hidden_by=None)
    ThemeTransition.objects.filter(by=user).update(by=None)
    ExperienceSheet.objects.filter(updated_by=user).update(updated_by=None)
    SheetAttachment.objects.filter(added_by=user).update(added_by=None)
    ThemeInterest.objects.filter(member=user).delete()
    QuestionVote.objects.filter(member=user).delete()
    upcoming = PresenterRole.objects.filter(member=user, theme__state__in=OPEN_STATES)
    themes = list(Theme.objects.filter(presenter_roles__in=upcoming).distinct())
    upcoming.update(member=None, status=PresenterStatus.REMOVED, slot=None)
    PresenterRole.objects.filter(member=user).update(member=None)
    PresenterRole.objects.filter(invited_by=user).update(invited_by=None)
    PresenterRole.objects.filter(status_changed_by=user).update(status_changed_by=None)
    for theme in themes:
        _sync_leads(theme)
