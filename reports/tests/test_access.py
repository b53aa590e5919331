"""Who may open the report and its downloads, bad input, and the page's query count."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.tests.factories import OrganisationFactory, UserFactory
from guide.enums import ContributionState
from guide.models import ContributionTransition
from guide.tests.factories import ContributionFactory
from meetings.enums import RSVPResponse
from meetings.models import RSVP, Attendance
from meetings.networking.models import Encounter, FollowUp, NetworkingSession, Participant, SessionState
from meetings.tests.factories import MeetingFactory
from themes.enums import ThemeState
from themes.models import ThemeTransition
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "pending", "member", "facilitator", "editor")
LOGIN, WAITING = "login", "waiting"
FACILITATORS_ONLY = {"visitor": LOGIN, "pending": WAITING, "member": 404, "facilitator": 200, "editor": 404}


def _urls(meeting_pk: int) -> list[str]:
    return [
        "/reports/",
        "/reports/?period=12m",
        "/reports/meetings.csv",
        "/reports/countries.xlsx",
        f"/reports/meetings/{meeting_pk}/attendance.csv",
        f"/reports/meetings/{meeting_pk}/attendance.pdf",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_only_facilitators_open_the_report_and_its_downloads(client_for, role):
    meeting = MeetingFactory()
    client = client_for(role)

    for url in _urls(meeting.pk):
        response = client.get(url)

        want = FACILITATORS_ONLY[role]
        if want == LOGIN:
            assert (response.status_code, response.url) == (
                302,
                f"{reverse('account_login')}?{urlencode({'next': url}, safe='/')}",
            ), url
        elif want == WAITING:
            assert (response.status_code, response.url) == (302, reverse("community:waiting")), url
        else:
            assert response.status_code == want, url


def test_manage_menu_links_to_the_report_for_facilitators_only(client_for):
    facilitator, member = client_for("facilitator"), client_for("member")

    assert 'href="/reports/"' in facilitator.get("/").content.decode()
    assert 'href="/reports/"' not in member.get("/").content.decode()


def test_unknown_table_or_meeting_is_not_found(facilitator_client):
    assert facilitator_client.get("/reports/nothing.csv").status_code == 404
    assert facilitator_client.get("/reports/meetings.pdf").status_code == 404
    assert facilitator_client.get("/reports/meetings/999999/attendance.csv").status_code == 404


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"period": "range", "from": "2024-02-30", "to": "2024-12-31"}, "from", "Enter a real date"),
        ({"period": "range", "from": "yesterday", "to": "2024-12-31"}, "from", "Enter a real date"),
        ({"period": "range", "from": "2024-12-31", "to": "2024-01-01"}, "to", "comes before the first one"),
        ({"period": "range", "from": "2024-01-01"}, "to", "Give the last day of the range."),
        ({"period": "range", "to": "2024-01-01"}, "from", "Give the first day of the range."),
        ({"period": "range", "from": "0001-01-01", "to": "2024-01-01"}, "from", "between the years 1900 and 2999"),
        ({"period": "range", "from": "2024-01-01", "to": "9999-12-31"}, "to", "between the years 1900 and 2999"),
        ({"period": "decade"}, "period", "Select a valid choice"),
    ],
)
def test_a_bad_period_is_a_form_error_that_keeps_what_was_typed(facilitator_client, query, field, message):
    response = facilitator_client.get("/reports/", query)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in str(response.context["form"].errors[field])
    assert "This period could not be read" in html
    assert response.context["tables"] == []
    for name in ("from", "to"):
        if name in query:
            assert f'name="{name}" id="id_{name}" value="{query[name]}"' in html


def test_a_bad_period_for_a_download_answers_400_with_the_reason(facilitator_client):
    response = facilitator_client.get("/reports/meetings.csv", {"period": "range", "from": "2024-13-01", "to": "x"})

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Enter a real date" in response.content.decode()


def test_leftover_dates_do_not_matter_outside_a_range(facilitator_client):
    response = facilitator_client.get("/reports/", {"period": "all", "from": "junk", "to": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {}
    assert len(response.context["tables"]) == 7


def test_nul_characters_and_long_input_never_fail(facilitator_client):
    for query in ({"period": "range\x00", "from": "2024\x00-01-01"}, {"period": "x" * 5000, "from": "9" * 5000}):
        assert facilitator_client.get("/reports/", query).status_code == 200
        assert facilitator_client.get("/reports/themes.xlsx", query).status_code == 400


def _rows(n: int) -> None:
    """n of everything each table counts, in the last few months (inside "last 12 months")."""
    now = timezone.now()
    for i in range(n):
        when = now - timedelta(days=10 + i)
        centre = OrganisationFactory(country=["PT", "FR", "ES", "BR", "SN"][i % 5])
        people = [UserFactory(organisation=centre, country=centre.country, state_changed_at=when) for _ in range(2)]
        meeting = MeetingFactory(starts_at=when)
        RSVP.objects.bulk_create([RSVP(meeting=meeting, member=p, response=RSVPResponse.GOING) for p in people])
        Attendance.objects.bulk_create([Attendance(meeting=meeting, member=p) for p in people])
        theme = ThemeFactory(proposer=people[0])
        ThemeTransition.objects.create(theme=theme, from_state=ThemeState.PROPOSED, to_state=ThemeState.SCHEDULED)
        entry = ContributionFactory(author=people[0], centre=centre, state=ContributionState.SUBMITTED)
        ContributionTransition.objects.create(
            contribution=entry, from_state=ContributionState.DRAFT, to_state=ContributionState.SUBMITTED
        )
        session = NetworkingSession.objects.create(meeting=meeting, state=SessionState.FINISHED)
        seat = Participant.objects.create(session=session, member=people[1])
        a, b = sorted(p.pk for p in people)
        Encounter.objects.create(session=session, member_a_id=a, member_b_id=b, round_number=1)
        FollowUp.objects.create(session=session, author=people[0], about=seat, reason="practice")


def _queries(client, url: str) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/reports/?period=12m", "/reports/?period=all", "/reports/meetings.xlsx?period=12m"])
def test_the_report_keeps_its_query_count_from_1_to_10_rows(facilitator_client, url):
    _rows(1)
    one = _queries(facilitator_client, url)
    _rows(9)
    ten = _queries(facilitator_client, url)

    assert one == ten
    assert ten <= 15


def test_the_report_really_counts_the_10_rows(facilitator_client):
    _rows(10)

    tables = {t.slug: t for t in facilitator_client.get("/reports/?period=12m").context["tables"]}

    assert tables["meetings"].total == ["Total", "", 20, 20, 10]
    assert tables["networking"].total == ["Total", "", 10, 10, 10, 10]
    assert tables["themes"].rows == [["Proposed", 10], ["Scheduled", 10], ["Presented", 0]]
    assert tables["guide-kinds"].total == ["Total", 10, 0]
