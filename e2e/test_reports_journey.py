"""A facilitator reads the community at a glance for this year and downloads its attendance:
the files' numbers are those of the meeting pages, the charts are drawn, the CSP blocks nothing."""

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from community.tests.factories import OrganisationFactory, UserFactory, facilitator
from e2e.conftest import sign_in
from meetings.enums import RSVPResponse
from meetings.models import RSVP, Attendance
from meetings.tests.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]

PASSWORD = "a-long-test-password"


def _year_of_meetings():
    """Three meetings earlier this year (4, 2 and 0 recorded present) and one last year."""
    now = timezone.localtime()
    start_of_year = now.replace(month=1, day=1, hour=12, minute=0, second=0, microsecond=0)
    # Spread between 1 January and yesterday (on 1 January, all three on that day's noon or before).
    span = max((now - start_of_year).days, 0)
    days = [min(d, span) for d in (0, span // 2, max(span - 1, 0))]
    centres = [OrganisationFactory(country=c) for c in ("PT", "FR", "SN")]
    people = [UserFactory(organisation=centres[i % 3], country=centres[i % 3].country) for i in range(6)]
    plan = [("Winter meeting", 4, 5), ("Spring meeting", 2, 3), ("Autumn meeting", 0, 2)]
    for (title, present, going), day in zip(plan, days, strict=True):
        meeting = MeetingFactory(title=title, starts_at=start_of_year + timedelta(days=day) - timedelta(hours=1))
        RSVP.objects.bulk_create([RSVP(meeting=meeting, member=p, response=RSVPResponse.GOING) for p in people[:going]])
        Attendance.objects.bulk_create([Attendance(meeting=meeting, member=p) for p in people[:present]])
    last_year = MeetingFactory(title="Last year's meeting", starts_at=start_of_year - timedelta(days=40))
    Attendance.objects.bulk_create([Attendance(meeting=last_year, member=p) for p in people])


def _attended_on_meeting_page(page, title: str) -> int:
    """The "N members attended" count a meeting's page shows (none recorded: no such heading)."""
    page.goto("/meetings/")
    page.get_by_role("link", name=title, exact=True).first.click()
    page.get_by_role("heading", name=title).wait_for()
    heading = page.locator("#attended-heading")
    if heading.count() == 0:
        return 0
    return int(re.match(r"(\d+) members? attended", heading.inner_text()).group(1))


def test_facilitator_exports_this_years_attendance_matching_the_meeting_pages(page, csp_violations):
    host = facilitator(display_name="Fatou Diallo", email="fatou@example.org")
    _year_of_meetings()

    sign_in(page, host.email, PASSWORD)
    page.get_by_role("button", name="Manage").click()
    page.get_by_role("link", name="Community at a glance").click()
    page.get_by_role("heading", name="Community at a glance").wait_for()
    page.get_by_label("This year").check()
    page.get_by_role("button", name="Show").click()
    page.get_by_text(f"Figures for: {timezone.localdate().year}").wait_for()

    # Every figure with rows is drawn on its canvas, beside its table (no chapter, no speed
    # networking here: those two tables say so and draw nothing).
    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() == 5
    page.wait_for_function(
        "() => [...document.querySelectorAll('canvas[data-chart]')].every((c) => window.Chart.getChart(c))"
    )
    assert page.locator("table[data-table]").count() == 7

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV — Meetings").click()
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="XLSX — Meetings").click()
    assert csv_download.value.suggested_filename == f"meetings_{timezone.localdate().year}.csv"
    with open(csv_download.value.path(), encoding="utf-8-sig", newline="") as file:
        from_csv = {row[1]: int(row[3]) for row in list(csv.reader(file))[1:-1]}
    # The downloaded file has no extension, which openpyxl reads from a path: give it the bytes.
    xlsx = io.BytesIO(Path(xlsx_download.value.path()).read_bytes())
    sheet = load_workbook(xlsx, read_only=True).worksheets[0]
    from_xlsx = {row[1]: row[3] for row in list(sheet.iter_rows(values_only=True))[1:-1]}

    assert from_csv == {"Winter meeting": 4, "Spring meeting": 2, "Autumn meeting": 0}
    assert from_xlsx == from_csv
    shown = {title: _attended_on_meeting_page(page, title) for title in from_csv}
    assert shown == from_csv

    # The meeting's own attendance sheet, from its page, says the same.
    page.goto("/meetings/")
    page.get_by_role("link", name="Winter meeting", exact=True).first.click()
    with page.expect_download() as sheet_download:
        page.locator(".attendance-sheet").get_by_role("link", name="Download as CSV").click()
    with open(sheet_download.value.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["Name", "Centre", "Country", "Present"]
    assert [row[3] for row in rows[1:]].count("Yes") == shown["Winter meeting"]
    assert len(rows) - 1 == 5
    assert csp_violations == []
