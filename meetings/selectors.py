"""Every read the meeting pages need, with the joins that keep the query count flat."""

import difflib
from datetime import datetime, timedelta

import rules
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from community.models import User
from community.rules import is_facilitator

from .enums import MeetingState, RSVPResponse
from .models import RSVP, AgendaItem, Attendance, Meeting, Minutes, Resource


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


def meeting_lists(
    user: User, *, now: datetime | None = None, language: str = ""
) -> tuple[QuerySet[Meeting], QuerySet[Meeting]]:
    """Upcoming meetings (soonest first; including one under way) and past ones (latest first),
    only those in ``language`` when one is given."""
    now = now or timezone.now()
    # A meeting is "upcoming" until it has started plus its length; the length varies per
    # meeting, but none lasts a day, so this bound is only refined in Python for the edge.
    recent = visible_meetings(user).filter(starts_at__gt=now - timedelta(hours=24))
    upcoming_ids = [
        pk
        for pk, starts_at, minutes in recent.values_list("pk", "starts_at", "duration_minutes")
        if starts_at + timedelta(minutes=minutes) > now
    ]
    meetings = _with_counts(visible_meetings(user), user)
    if language:
        meetings = meetings.filter(language=language)
    upcoming = meetings.filter(pk__in=upcoming_ids).order_by("starts_at", "pk")
    past = meetings.exclude(pk__in=upcoming_ids).filter(starts_at__lte=now).order_by("-starts_at", "-pk")
    return upcoming, past


def meeting_for_page(*, pk: int, user: User) -> Meeting:
    """A meeting with its agenda (leads, minutes), answers, attendance and resources; 404 if hidden."""
    agenda = (
        AgendaItem.objects.order_by("position", "pk")
        .select_related("minutes")
        .prefetch_related(
            Prefetch("leads", queryset=User.objects.select_related("organisation").order_by("display_name"))
        )
    )
    meeting = get_object_or_404(
        visible_meetings(user)
        .select_related("created_by", "cancelled_by", "minutes_published_by")
        .prefetch_related(
            Prefetch("agenda_items", queryset=agenda),
            Prefetch(
                "rsvps",
                queryset=RSVP.objects.select_related("member", "member__organisation").order_by(
                    "waitlisted_at", "responded_at", "pk"
                ),
            ),
            Prefetch("attendances", queryset=Attendance.objects.select_related("member", "member__organisation")),
            Prefetch("resources", queryset=Resource.objects.select_related("added_by").order_by("-created_at", "-pk")),
        ),
        pk=pk,
    )
    rsvps = list(meeting.rsvps.all())
    meeting.going_ids = {r.member_id for r in rsvps if r.response == RSVPResponse.GOING}
    meeting.attendee_ids = {a.member_id for a in meeting.attendances.all()}
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
}


def meeting_page(*, pk: int, user: User) -> dict:
    """Everything the meeting page shows, with what the user may do there; 404 if hidden."""
    meeting = meeting_for_page(pk=pk, user=user)
    return {
        "meeting": meeting,
        "agenda": list(meeting.agenda_items.all()),
        "resources": list(meeting.resources.all()),
        "rsvp": rsvp_summary(meeting, user),
        "attendees": attendance_summary(meeting, user),
        "can": {flag: rules.has_perm(perm, user, meeting) for flag, perm in PAGE_PERMISSIONS.items()},
    }


def meeting_for_edit(*, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.all(), pk=pk)


def in_directory(member: User) -> bool:
    """Whether a member lets other members see them listed (their directory privacy choice)."""
    return bool(getattr(member, "listed_in_directory", True))


def rsvp_summary(meeting: Meeting, viewer: User) -> dict:
    """Answers grouped for the page: who is coming respects the directory choice."""
    rsvps = list(meeting.rsvps.all())
    going = [r for r in rsvps if r.response == RSVPResponse.GOING]
    facilitator = is_facilitator(viewer)
    shown = [r.member for r in going if facilitator or r.member_id == viewer.pk or in_directory(r.member)]
    waitlist = sorted(
        (r for r in rsvps if r.response == RSVPResponse.WAITLISTED),
        key=lambda r: (r.waitlisted_at or r.updated_at, r.pk),
    )
    mine = next((r for r in rsvps if r.member_id == viewer.pk), None)
    return {
        "going_count": len(going),
        "maybe_count": sum(r.response == RSVPResponse.MAYBE for r in rsvps),
        "not_going_count": sum(r.response == RSVPResponse.NOT_GOING for r in rsvps),
        "waitlist_count": len(waitlist),
        "going_shown": shown,
        "going_hidden": len(going) - len(shown),
        "waitlist": [r.member for r in waitlist] if facilitator else [],
        "my_rsvp": mine,
        "my_waitlist_position": next((i + 1 for i, r in enumerate(waitlist) if r.member_id == viewer.pk), None),
        "full": meeting.capacity is not None and len(going) >= meeting.capacity,
        "places_left": None if meeting.capacity is None else max(meeting.capacity - len(going), 0),
    }


def attendance_summary(meeting: Meeting, viewer: User) -> dict:
    """Who was there, respecting the directory choice (facilitators see everyone)."""
    facilitator = is_facilitator(viewer)
    people = sorted((a.member for a in meeting.attendances.all()), key=lambda m: (m.display_name, m.pk))
    shown = [m for m in people if facilitator or m.pk == viewer.pk or in_directory(m)]
    return {"count": len(people), "shown": shown, "hidden": len(people) - len(shown)}


def next_meeting_for(user: User, *, now: datetime | None = None) -> Meeting | None:
    """The next published meeting that has not ended, with the user's answer and counts."""
    now = now or timezone.now()
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
