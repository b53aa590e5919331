"""Demo meetings for ``seed_demo``: every two months from October 2020 to the next one to come.

Idempotent (a slot already holding a meeting is skipped), deterministic (seeded random), fast (bulk inserts).
Runs after the community seed and uses whatever approved members exist.
"""

import random
import zoneinfo
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from community.enums import FACILITATORS_GROUP
from community.models import User

from .enums import AgendaKind, MeetingState, RSVPResponse
from .models import RSVP, ActionItem, AgendaItem, Attendance, Meeting, Minutes, Resource
from .services import STANDARD_AGENDA

ZONE = "Europe/Paris"
FIRST = datetime(2020, 10, 15, 14, 0)
ONLINE_URL = "https://meet.example.org/keep-in-pact"
SLOT_MARGIN = timedelta(days=30)

MINUTES = {
    AgendaKind.HOT_NEWS: [
        "Two centres renewed their agreement with the regional employment service.",
        "A new centre joined the network and introduced its partnership team.",
        "The network's annual forum will take place in the spring; a call for workshops is open.",
        "Several centres report a rise in requests from young graduates.",
    ],
    AgendaKind.BARRIERS: [
        "Partners find it hard to share data on the people they accompany: **GDPR** questions come first.",
        "Keeping partners involved once the agreement is signed: meetings fade after six months.",
        "Staff turnover at partner organisations means starting the relationship again.",
        "Funding cycles of partners do not match ours, which delays joint actions.",
    ],
    AgendaKind.OPPORTUNITIES: [
        "A joint job-dating event gathered 14 partners and 300 visitors.",
        "A shared calendar of partner events now lives on the centre's website.",
        "A training day for new partner staff was co-designed with two partners.",
        "The chamber of commerce offered to host the next partners' breakfast.",
    ],
    AgendaKind.HUMAN_BOOKSTORE: [
        # Generic on purpose: the themes' demo data decides which theme each session was about.
        "The presenters walked through their experience sheet; questions focused on adapting it locally.",
        "Lively exchange: three centres want to try the practice before the next meeting.",
        "Questions sent beforehand were all answered; the sheet will be turned into a guide entry.",
        "The session ran over time: a follow-up call is planned with the interested centres.",
    ],
}

# The actions agreed at the last meeting held: (text, owner's email or None for anyone, due in days, done).
ACTIONS = [
    ("Share the partnership charter template with the two new centres", "member@example.org", 10, False),
    ("Send the partners' survey before the next meeting", "member@example.org", 40, False),
    ("Book the room for the partners' breakfast", None, 20, False),
    ("Collect the figures of the joint job-dating event", None, -5, True),
]

RESOURCES = [
    ("Partnership charter template", "A two-page charter partners sign at the start.", "https://example.org/charter"),
    ("GDPR checklist for partners", "Ten questions to ask before sharing contacts.", "https://example.org/gdpr"),
    ("Speed-networking prompt cards", "The cards used during the session.", "https://example.org/cards"),
    ("Annual partnership report", "A one-page model report.", "https://example.org/report"),
    ("Partner mapping canvas", "Who works with whom, on one sheet.", "https://example.org/canvas"),
]


def slot_starts(now: datetime) -> list[datetime]:
    """Local starts from the first meeting to the next one to come, in UTC."""
    zone = zoneinfo.ZoneInfo(ZONE)
    starts = []
    step = 0
    while True:
        local = FIRST + relativedelta(months=2 * step)
        start = datetime.combine(local.date(), time(14, 0), tzinfo=zone)
        starts.append(start)
        if start > now:
            return starts
        step += 1


def seed_meetings(stdout) -> None:
    now = timezone.now()
    rng = random.Random(2020)
    members = list(User.objects.approved().order_by("pk"))
    facilitator = User.objects.filter(groups__name=FACILITATORS_GROUP).order_by("pk").first() or (
        members[0] if members else None
    )
    # A two-month slot is taken when any meeting starts within a month of it: running again
    # (or on a database that already has meetings) never doubles a slot.
    existing = list(Meeting.objects.values_list("starts_at", flat=True))
    wanted = [start for start in slot_starts(now) if not any(abs(start - other) < SLOT_MARGIN for other in existing)]
    if not wanted:
        return
    meetings = Meeting.objects.bulk_create(
        Meeting(
            title=f"Bimonthly meeting — {start.strftime('%B %Y')}",
            description="Our regular exchange: hot news, barriers, successes and a human-bookstore session.",
            starts_at=start,
            duration_minutes=120,
            time_zone=ZONE,
            online_url=ONLINE_URL,
            state=MeetingState.PUBLISHED,
            created_by=facilitator,
            published_at=start - relativedelta(weeks=4),
            minutes_published_at=start + relativedelta(days=3) if start < now else None,
            minutes_published_by=facilitator if start < now else None,
        )
        for start in wanted
    )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, kind=kind, title=str(kind.label), duration_minutes=minutes, position=index)
        for meeting in meetings
        for index, (kind, minutes) in enumerate(STANDARD_AGENDA)
    )
    leads = []
    minutes = []
    rsvps = []
    attendance = []
    resources = []
    for meeting in meetings:
        past = meeting.starts_at < now
        going = rng.sample(members, k=min(len(members), rng.randint(8, 16))) if members else []
        others = [m for m in members if m not in going]
        maybe = rng.sample(others, k=min(len(others), 3))
        rsvps += [RSVP(meeting=meeting, member=m, response=RSVPResponse.GOING) for m in going]
        rsvps += [RSVP(meeting=meeting, member=m, response=RSVPResponse.MAYBE) for m in maybe]
        if past:
            attendance += [
                Attendance(meeting=meeting, member=m, recorded_by=facilitator) for m in going if rng.random() < 0.85
            ]
        if past and going and rng.random() < 0.4:
            title, description, url = rng.choice(RESOURCES)
            resources.append(
                Resource(meeting=meeting, title=title, description=description, url=url, added_by=rng.choice(going))
            )
    for item in items:
        meeting_members = members
        if item.kind == AgendaKind.HUMAN_BOOKSTORE and meeting_members:
            for lead in rng.sample(meeting_members, k=min(2, len(meeting_members))):
                leads.append(AgendaItem.leads.through(agendaitem_id=item.pk, user_id=lead.pk))
        if item.meeting.starts_at < now:
            entry = Minutes(agenda_item=item, text=rng.choice(MINUTES[item.kind]), updated_by=facilitator)
            entry._history_date = item.meeting.starts_at + relativedelta(days=2)
            minutes.append(entry)
    AgendaItem.leads.through.objects.bulk_create(leads)
    RSVP.objects.bulk_create(rsvps)
    Attendance.objects.bulk_create(attendance)
    Resource.objects.bulk_create(resources)
    bulk_create_with_history(minutes, Minutes, default_user=facilitator)
    held = [meeting for meeting in meetings if meeting.starts_at < now]
    if held and members:
        _seed_actions(held[-1], members=members, facilitator=facilitator, rng=rng)
    stdout.write(f"  created {len(meetings)} meetings")


def _seed_actions(meeting: Meeting, *, members: list, facilitator, rng: random.Random) -> None:
    """The last meeting held agreed a few actions: two owned by the demo member, one already done."""
    by_email = {member.email: member for member in members}
    today, now = timezone.localdate(), timezone.now()
    actions = []
    for text, email, due_in, done in ACTIONS:
        owner = by_email.get(email) or rng.choice(members)
        actions.append(
            ActionItem(
                meeting=meeting,
                text=text,
                owner=owner,
                due_on=today + timedelta(days=due_in),
                done_at=now - timedelta(days=1) if done else None,
                done_by=owner if done else None,
                created_by=facilitator,
                updated_by=facilitator,
            )
        )
    ActionItem.objects.bulk_create(actions)
