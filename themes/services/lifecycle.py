"""A theme's life: proposed, reworded, moved between states (placed on a meeting), and members' interest."""

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from community.fragments import MEMBER_PAGES
from community.languages import content_language_of
from community.rules import is_facilitator
from meetings import services as meetings_services
from meetings.enums import MeetingState
from meetings.models import Meeting

from ..enums import (
    OPEN_STATES,
    PRESENTING_STATUSES,
    SLOT_STATUSES,
    PresenterStatus,
    ThemeState,
)
from ..models import (
    PresenterRole,
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
    language: str = "",
) -> Theme:
    """Create a theme in the *proposed* state, in ``language`` (by default the proposer's).

    Side effects: records the first history entry; when the proposer can present it,
    they take the first presenter slot (as a volunteer, to be confirmed by a facilitator).
    """
    theme = Theme.objects.create(
        title=title,
        summary=summary,
        reason=reason,
        language=language or content_language_of(proposer),
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
        theme_counts_refresh(theme_ids=[theme.pk])
        theme.presenter_count = 1
    return theme


@transaction.atomic
def theme_update(
    *, theme: Theme, by, title: str, summary: str, reason: str, topics: list[str], language: str = ""
) -> Theme:
    """Reword a theme (or say which language it is written in), recording ``by`` as its last editor.

    Side effects: renames its agenda item when it is scheduled."""
    theme.title, theme.summary, theme.reason, theme.updated_by = title, summary, reason, by
    theme.language = language or theme.language
    theme.save(update_fields=["title", "summary", "reason", "language", "updated_by", "updated_at"])
    theme.topics.set(topics)
    if theme.agenda_item_id:
        meetings_services.agenda_item_retitle(item_id=theme.agenda_item_id, title=title)
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

    from ..tasks import notify_theme_transition

    transaction.on_commit(lambda: notify_theme_transition.delay(transition_id=transition.pk))
    return theme


def _fill_agenda_item(theme: Theme, meeting: Meeting) -> None:
    # Items already given to other themes are not free (the meetings app does not know themes).
    taken = Theme.objects.filter(agenda_item__isnull=False).values("agenda_item_id")
    theme.meeting = meeting
    theme.agenda_item = meetings_services.bookstore_item_claim(
        meeting=meeting, title=theme.title, leads=_presenting_members(theme), taken=taken
    )


def _empty_agenda_item(theme: Theme) -> None:
    if theme.agenda_item_id:
        meetings_services.bookstore_item_release(item_id=theme.agenda_item_id)
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
        meetings_services.agenda_item_leads_set(item_id=theme.agenda_item_id, leads=_presenting_members(theme))


def _counted(rows) -> Coalesce:
    return Coalesce(
        Subquery(rows.order_by().values("theme").annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
        Value(0),
    )


def theme_counts_refresh(*, theme_ids) -> None:
    """Recount the interest and the slot-holding presenters of these themes into their columns.

    Every service that adds or removes an interest or a presenter calls it after its write,
    holding the theme's row lock (``select_for_update``), so the count it reads includes every
    committed change and two concurrent writers cannot leave a stale number.
    """
    Theme.objects.filter(pk__in=list(theme_ids)).update(
        interest_count=_counted(ThemeInterest.objects.filter(theme=OuterRef("pk"))),
        presenter_count=_counted(PresenterRole.objects.filter(theme=OuterRef("pk"), status__in=SLOT_STATUSES)),
    )
    MEMBER_PAGES.changed()  # the dashboards show these counts; an update sends no signal


@transaction.atomic
def theme_set_interest(*, theme: Theme, member, interested: bool) -> int:
    """Say (or take back) that ``member`` is interested. Idempotent: a double submit counts once.

    Side effects: the theme's ``interest_count`` column follows. Returns the count afterwards.
    """
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    if interested:
        if theme.state not in OPEN_STATES:
            raise ThemeError(_("This theme no longer collects interest."))
        ThemeInterest.objects.bulk_create([ThemeInterest(theme=theme, member=member)], ignore_conflicts=True)
    else:
        ThemeInterest.objects.filter(theme=theme, member=member).delete()
    theme_counts_refresh(theme_ids=[theme.pk])
    return Theme.objects.values_list("interest_count", flat=True).get(pk=theme.pk)
