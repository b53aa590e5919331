"""A small community whose figures for 2024 are known, and readers for the page and the files."""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from community.models import User
from community.tests.factories import OrganisationFactory, UserFactory, pending_member
from guide.enums import ContributionKind, ContributionState
from guide.models import ContributionTransition
from guide.tests.factories import ChapterFactory, ContributionFactory
from meetings.enums import MeetingState, RSVPResponse
from meetings.models import RSVP, Attendance
from meetings.networking.models import Encounter, FollowUp, NetworkingSession, Participant, SessionState
from meetings.tests.factories import MeetingFactory
from themes.enums import ThemeState
from themes.models import Theme, ThemeTransition
from themes.tests.factories import ThemeFactory

YEAR_2024 = {"period": "range", "from": "2024-01-01", "to": "2024-12-31"}


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@dataclass
class Community:
    members: dict
    meetings: dict
    centres: dict


def _approved(name, when, **fields) -> User:
    return UserFactory(display_name=name, state_changed_at=when, **fields)


def _theme(title, created, moves) -> Theme:
    theme = ThemeFactory(title=title)
    Theme.objects.filter(pk=theme.pk).update(created_at=created)
    for to, when in moves:
        step = ThemeTransition.objects.create(theme=theme, from_state=ThemeState.PROPOSED, to_state=to)
        ThemeTransition.objects.filter(pk=step.pk).update(at=when)
    return theme


def _entry(chapter, kind, moves):
    entry = ContributionFactory(chapter=chapter, kind=kind, state=moves[-1][0])
    for to, when in moves:
        step = ContributionTransition.objects.create(
            contribution=entry, from_state=ContributionState.DRAFT, to_state=to
        )
        ContributionTransition.objects.filter(pk=step.pk).update(at=when)
    return entry


@pytest.fixture
def community(db) -> Community:
    """Known answers for 2024 (UTC):

    - approvals: January 1, March 2, December 1 (4); one the evening before 2024 starts (UTC);
    - countries at the end of 2024: Portugal 2 members and 1 centre, France 2 and 1 (the
      network team is no centre), Spain 1 and 0;
    - meetings: 1 January 00:00 (going 3, present 2, centres 2), 10 June (going 2, present 3,
      centres 1), 10 November (going 1, present 0); totals 6 going, 5 present, 2 centres;
      a cancelled meeting, a draft and one on 1 January 2025 are not counted;
    - themes: 2 proposed, 2 scheduled (one twice), 2 presented;
    - guide: testimonies 1 submitted and 2 published, strategic 1 submitted (twice) 0 published;
      chapter one 1 and 2, chapter two 1 and 0;
    - speed networking: at the January meeting 1 session played, 2 encounters (1 first), 1 follow-up.
    """
    porto = OrganisationFactory(name="Cité des métiers de Porto", short_name="CdM Porto", slug="porto", country="PT")
    paris = OrganisationFactory(name='=HYPERLINK("http://evil.example")', short_name="", slug="paris", country="FR")
    team = OrganisationFactory(name="Network team", short_name="", slug="team", country="FR", is_network_team=True)
    m1 = _approved("Ana Alves", at(2024, 1, 15, 10), organisation=porto, country="PT")
    m2 = _approved("Bruno Braga", at(2024, 3, 10, 10), organisation=porto, country="PT")
    m3 = _approved("Claire Cadot", at(2024, 3, 20, 10), organisation=paris, country="FR")
    m4 = _approved("Diego Díaz", at(2023, 12, 31, 23, 30), country="ES")
    m5 = _approved("Emma Ebert", at(2024, 12, 31, 23, 59), organisation=team, country="FR")
    pending_member(display_name="Pedro Pending", country="PT")

    january = MeetingFactory(title="January meeting", starts_at=at(2024, 1, 1, 0, 0))
    june = MeetingFactory(title="June meeting", starts_at=at(2024, 6, 10, 12))
    november = MeetingFactory(title="=1+1 November meeting", starts_at=at(2024, 11, 10, 12))
    cancelled = MeetingFactory(title="Cancelled meeting", starts_at=at(2024, 9, 1, 12), state=MeetingState.CANCELLED)
    draft = MeetingFactory(title="Draft meeting", starts_at=at(2024, 10, 1, 12), state=MeetingState.DRAFT)
    next_year = MeetingFactory(title="New year meeting", starts_at=at(2025, 1, 1, 0, 0))
    answers = [
        (january, m1, RSVPResponse.GOING),
        (january, m2, RSVPResponse.GOING),
        (january, m3, RSVPResponse.GOING),
        (june, m1, RSVPResponse.GOING),
        (june, m2, RSVPResponse.GOING),
        (june, m3, RSVPResponse.MAYBE),
        (november, m4, RSVPResponse.GOING),
        (cancelled, m1, RSVPResponse.GOING),
        (draft, m1, RSVPResponse.GOING),
        (next_year, m1, RSVPResponse.GOING),
    ]
    RSVP.objects.bulk_create([RSVP(meeting=m, member=p, response=r) for m, p, r in answers])
    present = [(january, m1), (january, m3), (june, m1), (june, m2), (june, m5), (cancelled, m2), (next_year, m1)]
    Attendance.objects.bulk_create([Attendance(meeting=m, member=p) for m, p in present])

    _theme(
        "Valorising a partnership",
        at(2024, 2, 1),
        [(ThemeState.SCHEDULED, at(2024, 2, 2)), (ThemeState.PRESENTED, at(2024, 3, 1))],
    )
    _theme(
        "Respecting GDPR",
        at(2024, 5, 1),
        [(ThemeState.SCHEDULED, at(2024, 5, 2)), (ThemeState.SCHEDULED, at(2024, 6, 2))],
    )
    _theme("Gamified speed networking", at(2023, 12, 1), [(ThemeState.PRESENTED, at(2024, 4, 1))])
    _theme("Next year's theme", at(2025, 1, 2), [(ThemeState.SCHEDULED, at(2025, 1, 3))])

    one = ChapterFactory(title="Chapter one", order=1)
    two = ChapterFactory(title="Chapter two", order=2)
    S = ContributionState
    _entry(one, ContributionKind.TESTIMONY, [(S.SUBMITTED, at(2024, 3, 1)), (S.PUBLISHED, at(2024, 4, 1))])
    _entry(
        two,
        ContributionKind.STRATEGIC,
        [(S.SUBMITTED, at(2024, 5, 1)), (S.CHANGES_REQUESTED, at(2024, 5, 5)), (S.SUBMITTED, at(2024, 6, 1))],
    )
    _entry(one, ContributionKind.TESTIMONY, [(S.SUBMITTED, at(2023, 11, 1)), (S.PUBLISHED, at(2024, 1, 2))])

    played = NetworkingSession.objects.create(meeting=january, state=SessionState.FINISHED, rounds=2, current_round=2)
    NetworkingSession.objects.create(meeting=june, state=SessionState.SETUP)
    seats = {
        m.pk: Participant.objects.create(session=played, member=m, organisation=m.organisation) for m in (m1, m2, m3)
    }
    pair = sorted([m1.pk, m3.pk])
    Encounter.objects.create(session=played, member_a_id=pair[0], member_b_id=pair[1], round_number=1, is_new=True)
    pair = sorted([m1.pk, m2.pk])
    Encounter.objects.create(session=played, member_a_id=pair[0], member_b_id=pair[1], round_number=2, is_new=False)
    FollowUp.objects.create(session=played, author=m1, about=seats[m3.pk], reason="partnership")

    return Community(
        members={"m1": m1, "m2": m2, "m3": m3, "m4": m4, "m5": m5},
        meetings={"january": january, "june": june, "november": november, "cancelled": cancelled, "draft": draft},
        centres={"porto": porto, "paris": paris, "team": team},
    )


class _Tables(HTMLParser):
    """The text of each ``<table data-table=…>`` of a page: {slug: [[cell, …], …]} (header, rows, total)."""

    def __init__(self):
        super().__init__()
        self.tables, self._slug, self._row, self._cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self._slug = attrs["data-table"]
            self.tables[self._slug] = []
        elif self._slug and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self._slug = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._slug].append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def page_tables(html: str) -> dict:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
