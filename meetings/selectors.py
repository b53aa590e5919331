"""Every read the meeting pages need, with the joins that keep the query count flat."""

import difflib
from datetime import datetime, timedelta

import rules
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from community.models import User
from community.rules import is_facilitator

from .enums import MeetingState, RSVPResponse
from .models import RSVP, ActionItem, AgendaItem, Attendance, Meeting, Minutes, Resource

# The most items one section of a digest (or of the dashboard's summary) lists.
DIGEST_ITEMS = 10


def visible_meetings(user: User) -> QuerySet[Meeting]:
    """Meetings the user may see: drafts only for facilitators."""
    meetings = Meeting.objects.all()
    if not rules.has_perm("meetings.see_drafts", user):
        meetings = meetings.exclude(state=MeetingState.DRAFT)
    return meetings


def _with_counts(meetings: QuerySet[Meeting], user: User) -> QuerySet[Meeting]:
    my_rsvp = RSVP.objects.filter(meeting=OuterRef("pk"), member=user).values("response")[:1]
    return meetings.annotate(
        going_count=Count("rsvps", filter=Q(rsvps__response=RSVPResponse.GOING), distinct=True),
        my_response=Subquery(my_rsvp),
    )


def meeting_lists(user: User, *, now: datetime | None = None, language: str = "") -> tuple[list[Meeting], list[int]]:
    """Upcoming meetings (soonest first; including one under way) with their answers, only those
    in ``language`` when one is given, and the ids of every upcoming meeting (the past ones are
    the others, ``past_meetings``); one query."""
    now = now or timezone.now()
    # A meeting is "upcoming" until it has started plus its length; the length varies per
    # meeting, but none lasts a day, so this bound is only refined in Python for the edge.
    recent = _with_counts(visible_meetings(user).filter(starts_at__gt=now - timedelta(hours=24)), user)
    upcoming = [meeting for meeting in recent.order_by("starts_at", "pk") if meeting.ends_at > now]
    shown = [meeting for meeting in upcoming if not language or meeting.language == language]
    return shown, [meeting.pk for meeting in upcoming]


def past_meetings(user: User, *, upcoming_ids: list[int], now: datetime | None = None, language: str = ""):
    """Meetings held (latest first), only those in ``language`` when one is given."""
    now = now or timezone.now()
    meetings = visible_meetings(user).exclude(pk__in=upcoming_ids).filter(starts_at__lte=now)
    if language:
        meetings = meetings.filter(language=language)
    return meetings.order_by("-starts_at", "-pk")


# The meeting page names at most this many people per list; the counts say how many in all and
# facilitators follow a link to the paged list of every answer.
PEOPLE_SHOWN = 24


def _counted(rows) -> Coalesce:
    grouped = rows.order_by().values("meeting").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(grouped, output_field=IntegerField()), Value(0))


def _listed_to(viewer: User) -> Q:
    """People a viewer may see named on a meeting's page (``member`` relative to the row)."""
    if is_facilitator(viewer):
        return Q()
    return Q(member__listed_in_directory=True) | Q(member=viewer)


def meeting_for_page(*, pk: int, user: User) -> Meeting:
    """A meeting with its agenda (leads, minutes) and resources; 404 if hidden.

    Answers and attendance are not loaded: the meeting's own query counts them (and reads the
    viewer's answer), and ``rsvp_summary`` and ``attendance_summary`` fetch only the few people
    the page names. ``going_ids`` and ``attendee_ids`` hold the viewer alone (when they
    answered going or attended), which is all the permission rules ask of them on this page.
    """
    agenda = (
        AgendaItem.objects.order_by("position", "pk")
        .select_related("minutes")
        .prefetch_related(
            Prefetch("leads", queryset=User.objects.select_related("organisation").order_by("display_name"))
        )
    )
    answers = RSVP.objects.filter(meeting=OuterRef("pk"))
    present = Attendance.objects.filter(meeting=OuterRef("pk"))
    mine = answers.filter(member=user)
    going = Q(response=RSVPResponse.GOING)
    meeting = get_object_or_404(
        visible_meetings(user)
        .select_related("created_by", "cancelled_by", "minutes_published_by")
        .annotate(
            going_total=_counted(answers.filter(going)),
            going_listed=_counted(answers.filter(going & _listed_to(user))),
            maybe_total=_counted(answers.filter(response=RSVPResponse.MAYBE)),
            not_going_total=_counted(answers.filter(response=RSVPResponse.NOT_GOING)),
            waitlisted_total=_counted(answers.filter(response=RSVPResponse.WAITLISTED)),
            attended_total=_counted(present),
            attended_listed=_counted(present.filter(_listed_to(user))),
            viewer_attended=Exists(present.filter(member=user)),
            my_rsvp_pk=Subquery(mine.values("pk")[:1]),
            my_response=Subquery(mine.values("response")[:1]),
            my_waitlisted_at=Subquery(mine.values("waitlisted_at")[:1]),
            my_updated_at=Subquery(mine.values("updated_at")[:1]),
        )
        .prefetch_related(
            Prefetch("agenda_items", queryset=agenda),
            Prefetch("resources", queryset=Resource.objects.select_related("added_by").order_by("-created_at", "-pk")),
        ),
        pk=pk,
    )
    meeting.going_ids = {user.pk} if meeting.my_response == RSVPResponse.GOING else set()
    meeting.attendee_ids = {user.pk} if meeting.viewer_attended else set()
    return meeting


# The flags a meeting page shows, by the rule that decides each (see rules.py). Pages ask the
# rules themselves (``rules.has_perm``), not ``user.has_perm``: the latter says yes to a superuser
# for everything, and these rules depend on the meeting's state (nobody edits a cancelled meeting).
PAGE_PERMISSIONS = {
    "edit": "meetings.edit_meeting",
    "edit_agenda": "meetings.edit_agenda",
    "publish": "meetings.publish_meeting",
    "cancel": "meetings.cancel_meeting",
    "record_attendance": "meetings.record_attendance",
    "write_minutes": "meetings.write_minutes",
    "manage": "meetings.manage_meetings",
    "rsvp": "meetings.rsvp",
    "attach_resource": "meetings.attach_resource",
    "see_minutes": "meetings.see_minutes",
    "join": "meetings.join_meeting",
}


def meeting_page(*, pk: int, user: User) -> dict:
    """Everything the meeting page shows, with what the user may do there; 404 if hidden."""
    meeting = meeting_for_page(pk=pk, user=user)
    return {
        "meeting": meeting,
        "agenda": list(meeting.agenda_items.all()),
        "resources": list(meeting.resources.all()),
        # Once attendance is recorded the page names who came instead of who said they would.
        "rsvp": rsvp_summary(meeting, user, name_going=not meeting.attended_total),
        "attendees": attendance_summary(meeting, user),
        **meeting_page_actions(meeting),
        "can": {flag: rules.has_perm(perm, user, meeting) for flag, perm in PAGE_PERMISSIONS.items()},
    }


# The most open actions of earlier meetings a meeting page (or a dashboard) lists.
ACTIONS_SHOWN = 30


def meeting_page_actions(meeting: Meeting, *, now: datetime | None = None) -> dict:
    """The meeting's own actions and, for a meeting still to come (or under way), the actions of
    earlier meetings still open (carried to its agenda); one query for both."""
    now = now or timezone.now()
    wanted = Q(meeting=meeting)
    carrying = meeting.state == MeetingState.PUBLISHED and meeting.ends_at > now
    if carrying:
        wanted |= Q(
            done_at__isnull=True, meeting__state=MeetingState.PUBLISHED, meeting__starts_at__lt=meeting.starts_at
        )
    rows = list(
        ActionItem.objects.filter(wanted)
        .select_related("owner", "meeting")
        .order_by(F("due_on").asc(nulls_last=True), "meeting__starts_at", "pk")[: 2 * ACTIONS_SHOWN]
    )
    own = [action for action in rows if action.meeting_id == meeting.pk]
    carried = [action for action in rows if action.meeting_id != meeting.pk][:ACTIONS_SHOWN]
    return {"actions": own, "carried_actions": carried}


def open_actions_for(member: User) -> list[ActionItem]:
    """The member's actions not done yet, soonest due first, with their meeting."""
    return list(
        ActionItem.objects.filter(owner=member, done_at__isnull=True)
        .exclude(meeting__state=MeetingState.DRAFT)
        .select_related("meeting")
        .order_by(F("due_on").asc(nulls_last=True), "pk")[:ACTIONS_SHOWN]
    )


def action_owner_choices() -> list[tuple[int, str]]:
    """Who may own an action (approved members), as choices for the minutes page; one query."""
    return [
        (pk, name or username)
        for pk, name, username in User.objects.approved()
        .order_by("display_name", "pk")
        .values_list("pk", "display_name", "username")
    ]


def minutes_page_actions(meeting: Meeting) -> list[ActionItem]:
    return list(ActionItem.objects.filter(meeting=meeting).order_by("due_on", "pk"))


def meeting_for_edit(*, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.all(), pk=pk)


def in_directory(member: User) -> bool:
    """Whether a member lets other members see them listed (their directory privacy choice)."""
    return bool(getattr(member, "listed_in_directory", True))


def _my_rsvp(meeting: Meeting, viewer: User) -> RSVP | None:
    """The viewer's answer, from the values the meeting page's query read."""
    if getattr(meeting, "my_rsvp_pk", None) is None:
        return None
    return RSVP(
        pk=meeting.my_rsvp_pk,
        meeting=meeting,
        member=viewer,
        response=meeting.my_response,
        waitlisted_at=meeting.my_waitlisted_at,
        updated_at=meeting.my_updated_at,
    )


def rsvp_summary(meeting: Meeting, viewer: User, *, name_going: bool = True) -> dict:
    """Answers counted for the page (``meeting_for_page``); who is coming (the first few, read
    only when ``name_going``) respects the directory choice."""
    facilitator = is_facilitator(viewer)
    answers = RSVP.objects.filter(meeting=meeting)
    going_total, going_listed, waitlisted = meeting.going_total, meeting.going_listed, meeting.waitlisted_total
    mine = _my_rsvp(meeting, viewer)
    shown = []
    if going_listed and name_going:
        shown = [
            r.member
            for r in answers.filter(Q(response=RSVPResponse.GOING) & _listed_to(viewer))
            .select_related("member", "member__organisation")
            .order_by("waitlisted_at", "responded_at", "pk")[:PEOPLE_SHOWN]
        ]
    queue = answers.filter(response=RSVPResponse.WAITLISTED).annotate(since=Coalesce("waitlisted_at", "updated_at"))
    waitlist = []
    if facilitator and waitlisted:
        waitlist = [r.member for r in queue.select_related("member").order_by("since", "pk")[:PEOPLE_SHOWN]]
    position = None
    if mine is not None and mine.response == RSVPResponse.WAITLISTED:
        since = mine.waitlisted_at or mine.updated_at
        position = queue.filter(Q(since__lt=since) | Q(since=since, pk__lt=mine.pk)).count() + 1
    return {
        "going_count": going_total,
        "maybe_count": meeting.maybe_total,
        "not_going_count": meeting.not_going_total,
        "waitlist_count": waitlisted,
        "going_shown": shown,
        "going_more": going_listed - len(shown),
        "going_hidden": going_total - going_listed,
        "waitlist": waitlist,
        "my_rsvp": mine,
        "my_waitlist_position": position,
        "full": meeting.capacity is not None and going_total >= meeting.capacity,
        "places_left": None if meeting.capacity is None else max(meeting.capacity - going_total, 0),
    }


def attendance_summary(meeting: Meeting, viewer: User) -> dict:
    """Who was there (the first few by name), respecting the directory choice (facilitators see everyone)."""
    shown = []
    if meeting.attended_listed:
        shown = [
            a.member
            for a in Attendance.objects.filter(Q(meeting=meeting) & _listed_to(viewer))
            .select_related("member", "member__organisation")
            .order_by("member__display_name", "member__pk")[:PEOPLE_SHOWN]
        ]
    return {
        "count": meeting.attended_total,
        "shown": shown,
        "more": meeting.attended_listed - len(shown),
        "hidden": meeting.attended_total - meeting.attended_listed,
    }


def meeting_answers(meeting: Meeting) -> QuerySet[RSVP]:
    """Every answer to a meeting with its member and centre, for the facilitators' paged list."""
    return (
        RSVP.objects.filter(meeting=meeting)
        .select_related("member", "member__organisation")
        .order_by("response", "member__display_name", "pk")
    )


def next_meeting_for(user: User, *, now: datetime | None = None) -> Meeting | None:
    """The next published meeting that has not ended, with the user's answer and counts.

    Asked about the present, the answer is kept on the user object for the rest of the request
    (the dashboard's meeting panel and the newcomer's first step both ask).
    """
    if now is None and "_next_meeting" in user.__dict__:
        return user.__dict__["_next_meeting"]
    meeting = _next_meeting(user, now=now or timezone.now())
    if now is None and user.is_authenticated:
        user.__dict__["_next_meeting"] = meeting
    return meeting


def _next_meeting(user: User, *, now: datetime) -> Meeting | None:
    candidates = (
        _with_counts(Meeting.objects.filter(state=MeetingState.PUBLISHED), user)
        .filter(starts_at__gt=now - timedelta(hours=24))
        .order_by("starts_at", "pk")[:5]
    )
    return next((m for m in candidates if m.ends_at > now), None)


def meetings_attended(member: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(attendances__member=member).order_by("-starts_at")


def feed_meetings(member: User) -> QuerySet[Meeting]:
    """What a member's personal calendar shows: every meeting they answered "going" to
    (a cancelled one stays, marked cancelled, so calendar apps remove it)."""
    return (
        Meeting.objects.exclude(state=MeetingState.DRAFT)
        .filter(rsvps__member=member, rsvps__response=RSVPResponse.GOING)
        .order_by("starts_at", "pk")
    )


def resource_library(*, query: str = "") -> QuerySet[Resource]:
    """Resources of published (or cancelled) meetings, newest first, filtered by a free text."""
    resources = (
        Resource.objects.exclude(meeting__state=MeetingState.DRAFT)
        .select_related("meeting", "added_by")
        .order_by("-meeting__starts_at", "-created_at", "-pk")
    )
    for word in query.split()[:8]:
        resources = resources.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(meeting__title__icontains=word)
        )
    return resources


def minutes_history(meeting: Meeting, *, limit: int = 200) -> list:
    """The latest revisions of the meeting's minutes, newest first, each with who made it
    and ``changes``: the lines removed and added since the item's previous revision."""
    revisions = list(
        Minutes.history.filter(agenda_item__meeting=meeting)
        .select_related("history_user", "agenda_item")
        .order_by("history_date", "history_id")
    )
    previous: dict[int, str] = {}
    for revision in revisions:
        before = previous.get(revision.agenda_item_id, "")
        revision.changes = [
            line for line in difflib.ndiff(before.splitlines(), revision.text.splitlines()) if line[:1] in {"+", "-"}
        ]
        previous[revision.agenda_item_id] = revision.text
    return revisions[::-1][:limit]


def attendance_choices(meeting: Meeting) -> tuple[QuerySet[User], set[int]]:
    """Members to tick on the attendance sheet, and those ticked by default: the recorded
    attendance, or the members who answered going when none is recorded yet."""
    recorded = set(meeting.attendances.values_list("member_id", flat=True))
    going = set(meeting.rsvps.filter(response=RSVPResponse.GOING).values_list("member_id", flat=True))
    members = (
        User.objects.filter(Q(pk__in=recorded | going) | Q(state="approved", is_active=True))
        .select_related("organisation")
        .order_by("display_name", "pk")
    )
    return members, (recorded or going)


def meeting_news_between(*, start: datetime, end: datetime) -> tuple[list[Meeting], list[Meeting]]:
    """Meetings published, and meetings whose minutes were published, in ``[start, end)``; one query.

    A meeting cancelled since is left out of the new meetings (its minutes never come).
    """
    rows = list(
        Meeting.objects.filter(
            Q(state=MeetingState.PUBLISHED, published_at__gte=start, published_at__lt=end)
            | Q(minutes_published_at__gte=start, minutes_published_at__lt=end)
        )
        .only("pk", "title", "starts_at", "state", "published_at", "minutes_published_at")
        .order_by("starts_at", "pk")[: 2 * DIGEST_ITEMS]
    )
    published = [
        m for m in rows if m.state == MeetingState.PUBLISHED and m.published_at and start <= m.published_at < end
    ]
    minutes = [m for m in rows if m.minutes_published_at and start <= m.minutes_published_at < end]
    return published[:DIGEST_ITEMS], minutes[:DIGEST_ITEMS]
