"""The periods' bounds: the viewer's days, first and last included, nothing counted twice."""

import zoneinfo
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from community.tests.factories import facilitator

from ..periods import DATE_RANGE, LAST_12_MONTHS, SINCE_THE_START, THIS_YEAR, period_for
from .conftest import YEAR_2024, page_tables

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_this_year_runs_from_1_january_to_31_december_in_the_viewers_zone():
    with timezone.override(PARIS):
        period = period_for(THIS_YEAR, today=date(2026, 3, 14))

    assert (period.first_day, period.last_day) == (date(2026, 1, 1), date(2026, 12, 31))
    assert period.start == datetime(2025, 12, 31, 23, 0, tzinfo=UTC)
    assert period.end == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    assert period.file_label == "2026"
    assert period.query == {"period": "year"}


def test_last_12_months_ends_today_and_starts_the_day_after_a_year_ago():
    with timezone.override(UTC):
        period = period_for(LAST_12_MONTHS, today=date(2026, 3, 1))

    assert (period.first_day, period.last_day) == (date(2025, 3, 2), date(2026, 3, 1))
    assert (period.start, period.end) == (datetime(2025, 3, 2, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC))
    assert period.file_label == "2025-03-02_2026-03-01"


def test_since_the_start_has_no_bound():
    period = period_for(SINCE_THE_START, today=date(2026, 3, 1))

    assert (period.start, period.end, period.first_day) == (None, None, None)
    assert period.file_label == "until_2026-03-01"


def test_a_range_includes_its_first_and_last_days():
    with timezone.override(UTC):
        period = period_for(DATE_RANGE, first=date(2024, 2, 29), last=date(2024, 2, 29))

    assert (period.start, period.end) == (datetime(2024, 2, 29, tzinfo=UTC), datetime(2024, 3, 1, tzinfo=UTC))
    assert period.query == {"period": "range", "from": "2024-02-29", "to": "2024-02-29"}


def test_a_meeting_at_midnight_on_the_first_day_counts_and_one_at_midnight_after_the_last_does_not(
    facilitator_client, community
):
    tables = page_tables(facilitator_client.get("/reports/", YEAR_2024).content.decode())

    titles = [row[1] for row in tables["meetings"][1:-1]]
    assert titles == ["January meeting", "June meeting", "=1+1 November meeting"]


def test_in_paris_the_year_starts_an_hour_earlier(client, community):
    """Diego was approved at 23:30 UTC on 31 December 2023: 00:30 on 1 January 2024 in Paris.
    Emma, at 23:59 UTC on 31 December 2024, is in 2025 there."""
    client.force_login(facilitator(time_zone="Europe/Paris"))

    tables = page_tables(client.get("/reports/", YEAR_2024).content.decode())

    assert tables["members-approved"][1] == ["January 2024", "2"]
    assert tables["members-approved"][-2] == ["December 2024", "0"]
    assert tables["members-approved"][-1] == ["Total", "4"]
    assert tables["countries"][1:3] == [["Portugal", "2", "1"], ["France", "1", "1"]]


def test_two_adjacent_ranges_add_up_to_the_whole_but_an_entry_counts_once_a_period(facilitator_client, community):
    def totals(query):
        tables = {t.slug: t for t in facilitator_client.get("/reports/", query).context["tables"]}
        return [tables["members-approved"].total[1], *tables["meetings"].total[2:4], *tables["guide-kinds"].total[1:]]

    first = totals({"period": "range", "from": "2024-01-01", "to": "2024-05-15"})
    second = totals({"period": "range", "from": "2024-05-16", "to": "2024-12-31"})

    assert first == [3, 3, 2, 2, 2]
    assert second == [1, 3, 3, 1, 0]
    # The strategic recommendation, sent to the editors in May and again in June, counts in each
    # half but once in the year: a figure of the period counts each entry once.
    assert [a + b for a, b in zip(first, second, strict=True)] == [4, 6, 5, 3, 2]
    assert totals(YEAR_2024) == [4, 6, 5, 2, 2]


def test_this_year_by_default(facilitator_client):
    response = facilitator_client.get("/reports/")

    assert response.context["period"].kind == THIS_YEAR
    assert response.context["form"]["period"].value() == THIS_YEAR
    assert 'value="year" checked' in response.content.decode()
