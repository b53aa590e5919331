"""The community's figures over a period, each counted by the database in one or two queries.

Nothing here loops over rows to count them: each table is one grouped or annotated query (a
few small tables two), so the page's number of queries stays the same whatever the data.

What each figure counts:

- members approved: accounts approved today, by the day they were (last) approved — the
  membership's change date, or the sign-up date for an account approved from the start;
- members and centres by country: the membership at the period's end (approved members, by
  the country of their profile) and the centres those members belong to (by the centre's
  country; the network-level team is not a centre);
- meetings: published meetings starting in the period, with the members who answered going,
  those recorded present and the centres these came from;
- themes: proposed (created) in the period, and those placed on a meeting (scheduled) or
  marked presented in the period, each theme once;
- guide entries: contributions sent to the editors (submitted) and published in the period,
  each once, by kind and by chapter;
- speed networking: sessions played (live or finished) at the period's meetings, the pairs
  who met there (and those who met for the first time), and the follow-ups asked for.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_countries import countries

from community.enums import MemberState
from community.models import Organisation, User
from guide.enums import ContributionKind, ContributionState
from guide.models import Chapter, ContributionTransition
from meetings.enums import MeetingState, RSVPResponse
from meetings.models import RSVP, Attendance, Meeting
from meetings.networking.models import Encounter, FollowUp, NetworkingSession, SessionState
from themes.enums import ThemeState
from themes.models import Theme, ThemeTransition

from .periods import Period
from .tables import DAY, MONTH, TEXT, Column, Table

TABLES = ("members-approved", "countries", "meetings", "themes", "guide-kinds", "guide-chapters", "networking")


def _approved_members():
    """Approved, active accounts, each with ``approved_at``: when the account (last) became approved."""
    return (
        User.objects.filter(state=MemberState.APPROVED, is_active=True)
        .annotate(approved_at=Coalesce("state_changed_at", "date_joined"))
        .order_by()
    )


def _count(rows, outer: str = "meeting") -> Coalesce:
    """How many of ``rows`` (already tied to the outer row with ``OuterRef``), as a subquery."""
    grouped = rows.order_by().values(outer).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(grouped, output_field=IntegerField()), Value(0))


def _months(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month += relativedelta(months=1)
    return months


def members_approved(period: Period) -> Table:
    zone = timezone.get_current_timezone()
    counted = dict(
        _approved_members()
        .filter(period.q("approved_at"))
        .annotate(month=TruncMonth("approved_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    counted = {moment.date(): n for moment, n in counted.items()}
    # Every month of the period, those without an approval too, up to this month.
    last = min(period.last_day, timezone.localdate())
    first = period.first_day or min(counted, default=last)
    rows = [[month, counted.get(month, 0)] for month in _months(first, last)] if first <= last else []
    return Table(
        slug="members-approved",
        title=_("Members approved"),
        description=_("Members approved in each month of the period (counted by the month they were approved)."),
        columns=[Column(_("Month"), MONTH), Column(_("Members approved"))],
        rows=rows,
        total=[_("Total"), sum(row[1] for row in rows)],
    )


def _country_name(code: str) -> str:
    return str(countries.name(code)) if code else _("Not given")


def members_and_centres_by_country(period: Period) -> Table:
    members = _approved_members()
    if period.end is not None:
        members = members.filter(approved_at__lt=period.end)
    by_members = dict(members.values("country").annotate(n=Count("pk")).values_list("country", "n"))
    by_centres = dict(
        Organisation.objects.filter(is_network_team=False)
        .filter(Exists(members.filter(organisation=OuterRef("pk"))))
        .order_by()
        .values("country")
        .annotate(n=Count("pk"))
        .values_list("country", "n")
    )
    codes = set(by_members) | set(by_centres)
    rows = [[_country_name(code), by_members.get(code, 0), by_centres.get(code, 0)] for code in codes]
    # Most members first; a tie by name (the name in the viewer's language).
    rows.sort(key=lambda row: (-row[1], -row[2], row[0]))
    return Table(
        slug="countries",
        title=_("Members and centres by country"),
        description=_(
            "Approved members at the end of the period, by the country of their profile, and the centres "
            "they belong to, by the centre's country."
        ),
        columns=[Column(_("Country"), TEXT), Column(_("Members")), Column(_("Centres"))],
        rows=rows,
        total=[_("Total"), sum(r[1] for r in rows), sum(r[2] for r in rows)],
        chart="hbar",
        note=_("The network-level team is not counted as a centre."),
    )


def _meetings_in(period: Period):
    return Meeting.objects.filter(period.q("starts_at"), state=MeetingState.PUBLISHED)


def meetings(period: Period) -> Table:
    present = Attendance.objects.filter(meeting=OuterRef("pk"))
    centres_present = (
        present.filter(member__organisation__isnull=False, member__organisation__is_network_team=False)
        .order_by()
        .values("meeting")
        .annotate(n=Count("member__organisation", distinct=True))
        .values("n")[:1]
    )
    rows = [
        [m.starts_at.astimezone(timezone.get_current_timezone()).date(), m.title, m.going, m.attended, m.centres]
        for m in _meetings_in(period)
        .annotate(
            going=_count(RSVP.objects.filter(meeting=OuterRef("pk"), response=RSVPResponse.GOING)),
            attended=_count(present),
            centres=Coalesce(Subquery(centres_present, output_field=IntegerField()), Value(0)),
        )
        .order_by("starts_at", "pk")
    ]
    # Centres present at one meeting at least: not the sum of the column (a centre comes back).
    distinct_centres = (
        Organisation.objects.filter(is_network_team=False)
        .filter(members__attendances__meeting__in=_meetings_in(period))
        .distinct()
        .count()
    )
    return Table(
        slug="meetings",
        title=_("Meetings"),
        description=_(
            "Each published meeting of the period: members who answered “going”, members recorded present, "
            "and the centres they came from."
        ),
        columns=[
            Column(_("Date"), DAY),
            Column(_("Meeting"), TEXT),
            Column(_("Answered going")),
            Column(_("Attended")),
            Column(_("Centres present")),
        ],
        rows=rows,
        total=[_("Total"), "", sum(r[2] for r in rows), sum(r[3] for r in rows), distinct_centres],
        note=_("The total of centres counts each centre once, however many meetings it came to."),
    )


def themes(period: Period) -> Table:
    proposed = Theme.objects.filter(period.q("created_at")).count()
    moved = ThemeTransition.objects.filter(period.q("at")).aggregate(
        scheduled=Count("theme", distinct=True, filter=Q(to_state=ThemeState.SCHEDULED)),
        presented=Count("theme", distinct=True, filter=Q(to_state=ThemeState.PRESENTED)),
    )
    return Table(
        slug="themes",
        title=_("Themes of the human bookstore"),
        description=_(
            "Themes proposed in the period, and themes placed on a meeting or presented in the period "
            "(each theme counted once)."
        ),
        columns=[Column(_("Step"), TEXT), Column(_("Themes"))],
        rows=[
            [_("Proposed"), proposed],
            [_("Scheduled"), moved["scheduled"]],
            [_("Presented"), moved["presented"]],
        ],
    )


def _entry_counts(period: Period, prefix: str = "") -> dict:
    """Count(...) of the contributions submitted and published in the period, each once; ``prefix``
    is the path from the grouped model to the review steps."""
    steps = f"{prefix}transitions__" if prefix else ""
    in_period = period.q(f"{steps}at")

    def counted(state):
        return Count(f"{steps}contribution", distinct=True, filter=in_period & Q(**{f"{steps}to_state": state}))

    return {"submitted": counted(ContributionState.SUBMITTED), "published": counted(ContributionState.PUBLISHED)}


def _guide_table(*, slug: str, title, description, heading, rows: list) -> Table:
    """Entries sent to the editors and published in the period, one row per ``heading`` (kind, chapter)."""
    return Table(
        slug=slug,
        title=title,
        description=description,
        columns=[
            Column(heading, TEXT),
            Column(pgettext("report column: guide entries", "Submitted")),
            Column(pgettext("report column: guide entries", "Published")),
        ],
        rows=rows,
        total=[_("Total"), sum(r[1] for r in rows), sum(r[2] for r in rows)],
        chart="hbar",
    )


def guide_by_kind(period: Period) -> Table:
    counted = {
        row["contribution__kind"]: row
        for row in ContributionTransition.objects.filter(period.q("at"))
        .order_by()
        .values("contribution__kind")
        .annotate(**_entry_counts(period))
    }
    rows = []
    for kind in ContributionKind:
        row = counted.get(kind.value, {})
        rows.append([str(kind.label), row.get("submitted", 0), row.get("published", 0)])
    return _guide_table(
        slug="guide-kinds",
        title=_("Guide entries by kind"),
        description=_("Contributions sent to the editors and entries published in the period, by kind."),
        heading=_("Kind"),
        rows=rows,
    )


def guide_by_chapter(period: Period) -> Table:
    chapters = Chapter.objects.annotate(**_entry_counts(period, prefix="contributions__")).order_by("order", "pk")
    return _guide_table(
        slug="guide-chapters",
        title=_("Guide entries by chapter"),
        description=_("Contributions sent to the editors and entries published in the period, by chapter."),
        heading=_("Chapter"),
        rows=[[c.title, c.submitted, c.published] for c in chapters],
    )


def networking(period: Period) -> Table:
    played = NetworkingSession.objects.filter(
        meeting=OuterRef("pk"), state__in=(SessionState.LIVE, SessionState.FINISHED)
    )
    encounters = Encounter.objects.filter(session__meeting=OuterRef("pk"))
    rows = [
        [m.starts_at.astimezone(timezone.get_current_timezone()).date(), m.title, m.sessions, m.met, m.new, m.follow]
        for m in _meetings_in(period)
        .filter(Exists(played))
        .annotate(
            sessions=_count(played),
            met=_count(encounters, "session__meeting"),
            new=_count(encounters.filter(is_new=True), "session__meeting"),
            follow=_count(FollowUp.objects.filter(session__meeting=OuterRef("pk")), "session__meeting"),
        )
        .order_by("starts_at", "pk")
    ]
    return Table(
        slug="networking",
        title=_("Speed networking"),
        description=_(
            "Speed-networking sessions played at the meetings of the period, the pairs of members who met "
            "there (and those who met for the first time), and the follow-ups they asked for."
        ),
        columns=[
            Column(_("Date"), DAY),
            Column(_("Meeting"), TEXT),
            Column(_("Sessions")),
            Column(_("Encounters")),
            Column(_("First encounters")),
            Column(_("Follow-ups wanted")),
        ],
        rows=rows,
        total=[_("Total"), "", *(sum(r[i] for r in rows) for i in range(2, 6))],
    )


BUILDERS = {
    "members-approved": members_approved,
    "countries": members_and_centres_by_country,
    "meetings": meetings,
    "themes": themes,
    "guide-kinds": guide_by_kind,
    "guide-chapters": guide_by_chapter,
    "networking": networking,
}


def report_table(slug: str, period: Period) -> Table:
    """One table of the report (``KeyError`` for an unknown slug)."""
    return BUILDERS[slug](period)


def report(period: Period) -> list[Table]:
    """Every table of the report, in the page's order."""
    return [BUILDERS[slug](period) for slug in TABLES]


def _sheet_country(person: User) -> str:
    """The member's country, or their centre's when their profile does not say."""
    code = person.country.code or (person.organisation.country.code if person.organisation else "")
    return str(countries.name(code)) if code else ""


def attendance_sheet(meeting: Meeting) -> list[dict]:
    """Who answered going or was recorded present at a meeting: name, centre, country, present."""
    people = (
        User.objects.filter(
            Q(rsvps__meeting=meeting, rsvps__response=RSVPResponse.GOING) | Q(attendances__meeting=meeting)
        )
        .distinct()
        .select_related("organisation")
        .annotate(present=Exists(Attendance.objects.filter(meeting=meeting, member=OuterRef("pk"))))
        .order_by("display_name", "pk")
    )
    return [
        {
            "name": str(person),
            "centre": person.centre_name,
            "country": _sheet_country(person),
            "present": person.present,
        }
        for person in people
    ]
