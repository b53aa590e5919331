"""The figures of a known community, exactly, on the page and in the CSV and XLSX files."""

from datetime import datetime

import pytest

from .conftest import YEAR_2024, csv_rows, page_tables, xlsx_rows

pytestmark = pytest.mark.django_db

# What the page shows for 2024 (the viewer's language is English, their zone UTC).
EXPECTED_PAGE = {
    "members-approved": [
        ["Month", "Members approved"],
        ["January 2024", "1"],
        ["February 2024", "0"],
        ["March 2024", "2"],
        *[
            [f"{month} 2024", "0"]
            for month in ("April", "May", "June", "July", "August", "September", "October", "November")
        ],
        ["December 2024", "1"],
        ["Total", "4"],
    ],
    "countries": [
        ["Country", "Members", "Centres"],
        ["France", "2", "1"],
        ["Portugal", "2", "1"],
        ["Spain", "1", "0"],
        ["Total", "5", "2"],
    ],
    "meetings": [
        ["Date", "Meeting", "Answered going", "Attended", "Centres present"],
        ["1 January 2024", "January meeting", "3", "2", "2"],
        ["10 June 2024", "June meeting", "2", "3", "1"],
        ["10 November 2024", "=1+1 November meeting", "1", "0", "0"],
        ["Total", "", "6", "5", "2"],
    ],
    "themes": [["Step", "Themes"], ["Proposed", "2"], ["Scheduled", "2"], ["Presented", "2"]],
    "guide-kinds": [
        ["Kind", "Submitted", "Published"],
        ["Strategic recommendation", "1", "0"],
        ["Operational recommendation", "0", "0"],
        ["Testimony", "1", "2"],
        ["Field example of a practice", "0", "0"],
        ["Feedback on a training activity", "0", "0"],
        ["Total", "2", "2"],
    ],
    "guide-chapters": [
        ["Chapter", "Submitted", "Published"],
        ["Chapter one", "1", "2"],
        ["Chapter two", "1", "0"],
        ["Total", "2", "2"],
    ],
    "networking": [
        ["Date", "Meeting", "Sessions", "Encounters", "First encounters", "Follow-ups wanted"],
        ["1 January 2024", "January meeting", "1", "2", "1", "1"],
        ["Total", "", "1", "2", "1", "1"],
    ],
}


def test_page_shows_each_figure_of_2024_exactly(facilitator_client, community):
    response = facilitator_client.get("/reports/", YEAR_2024)

    assert response.status_code == 200
    assert page_tables(response.content.decode()) == EXPECTED_PAGE


def test_page_carries_the_same_numbers_for_the_charts(facilitator_client, community):
    response = facilitator_client.get("/reports/", YEAR_2024)

    charts = response.context["charts"]
    assert charts["meetings"] == {
        "type": "bar",
        "labels": ["1 January 2024", "10 June 2024", "10 November 2024"],
        "series": [
            {"label": "Answered going", "data": [3, 2, 1]},
            {"label": "Attended", "data": [2, 3, 0]},
            {"label": "Centres present", "data": [2, 1, 0]},
        ],
    }
    assert charts["themes"]["series"] == [{"label": "Themes", "data": [2, 2, 2]}]
    html = response.content.decode()
    assert html.count("<canvas data-chart=") == 7
    assert "Nothing to draw in this period." not in html
    assert '<script id="report-charts" type="application/json">' in html


def test_csv_of_each_table_has_the_numbers_of_the_page(facilitator_client, community):
    for slug, shown in EXPECTED_PAGE.items():
        response = facilitator_client.get(f"/reports/{slug}.csv", YEAR_2024)

        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="{slug}_2024-01-01_2024-12-31.csv"'
        rows = csv_rows(response.content)
        # Same numbers; labels in the files' own form (ISO months and days, formulas quoted).
        assert [row[-1] for row in rows] == [row[-1] for row in shown], slug
        assert len(rows) == len(shown)


def test_csv_writes_months_and_days_in_iso_form_and_quotes_formulas(facilitator_client, community):
    months = csv_rows(facilitator_client.get("/reports/members-approved.csv", YEAR_2024).content)
    meetings = csv_rows(facilitator_client.get("/reports/meetings.csv", YEAR_2024).content)

    assert months[1] == ["2024-01", "1"]
    assert months[-1] == ["Total", "4"]
    assert meetings == [
        ["Date", "Meeting", "Answered going", "Attended", "Centres present"],
        ["2024-01-01", "January meeting", "3", "2", "2"],
        ["2024-06-10", "June meeting", "2", "3", "1"],
        ["2024-11-10", "'=1+1 November meeting", "1", "0", "0"],
        ["Total", "", "6", "5", "2"],
    ]


def test_xlsx_of_each_table_has_the_numbers_of_the_page(facilitator_client, community):
    for slug, shown in EXPECTED_PAGE.items():
        response = facilitator_client.get(f"/reports/{slug}.xlsx", YEAR_2024)

        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{slug}_2024-01-01_2024-12-31.xlsx"'
        rows = xlsx_rows(response.content)
        assert [row[-1] for row in rows[1:]] == [int(row[-1]) for row in shown[1:]], slug
        assert rows[0] == shown[0]


def test_xlsx_keeps_dates_as_dates_and_text_that_looks_like_a_formula_as_text(facilitator_client, community):
    rows = xlsx_rows(facilitator_client.get("/reports/meetings.xlsx", YEAR_2024).content)

    assert rows == [
        ["Date", "Meeting", "Answered going", "Attended", "Centres present"],
        [datetime(2024, 1, 1), "January meeting", 3, 2, 2],
        [datetime(2024, 6, 10), "June meeting", 2, 3, 1],
        [datetime(2024, 11, 10), "=1+1 November meeting", 1, 0, 0],
        ["Total", None, 6, 5, 2],
    ]


def test_the_page_speaks_the_viewers_language_and_date_style(client, community):
    from community.tests.factories import facilitator

    client.force_login(facilitator(preferred_language="fr"))

    tables = page_tables(client.get("/reports/", YEAR_2024).content.decode())

    assert tables["meetings"][1][:2] == ["1 janvier 2024", "January meeting"]
    assert tables["members-approved"][1] == ["janvier 2024", "1"]
    assert tables["countries"][1][0] == "France"
