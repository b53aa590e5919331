"""A meeting's attendance sheet (name, centre, country, present) as CSV and PDF, linked from its page."""

import io
import sys

import pytest
from pypdf import PdfReader

from .conftest import csv_rows

pytestmark = pytest.mark.django_db


def test_csv_sheet_lists_who_said_going_or_came_with_centre_country_and_presence(facilitator_client, community):
    june = community.meetings["june"]

    response = facilitator_client.get(f"/reports/meetings/{june.pk}/attendance.csv")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="attendance_2024-06-10_june-meeting.csv"'
    # Claire only said "maybe": she is on neither list. Emma came without answering.
    assert csv_rows(response.content) == [
        ["Name", "Centre", "Country", "Present"],
        ["Ana Alves", "CdM Porto", "Portugal", "Yes"],
        ["Bruno Braga", "CdM Porto", "Portugal", "Yes"],
        ["Emma Ebert", "Network team", "France", "Yes"],
    ]


def test_csv_sheet_quotes_a_centre_name_that_looks_like_a_formula(facilitator_client, community):
    january = community.meetings["january"]

    rows = csv_rows(facilitator_client.get(f"/reports/meetings/{january.pk}/attendance.csv").content)

    assert rows[1:] == [
        ["Ana Alves", "CdM Porto", "Portugal", "Yes"],
        ["Bruno Braga", "CdM Porto", "Portugal", "No"],
        ["Claire Cadot", '\'=HYPERLINK("http://evil.example")', "France", "Yes"],
    ]


def test_csv_sheet_present_count_is_the_meeting_pages_attendance_count(facilitator_client, community):
    for meeting in community.meetings.values():
        rows = csv_rows(facilitator_client.get(f"/reports/meetings/{meeting.pk}/attendance.csv").content)
        page = facilitator_client.get(f"/meetings/{meeting.pk}/")

        assert sum(1 for row in rows[1:] if row[3] == "Yes") == page.context["meeting"].attended_total


def test_pdf_sheet_names_everyone_and_the_count_present(facilitator_client, community):
    june = community.meetings["june"]

    response = facilitator_client.get(f"/reports/meetings/{june.pk}/attendance.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="attendance_2024-06-10_june-meeting.pdf"'
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    expected = ("Attendance sheet", "June meeting", "3 members present", "Ana Alves", "Emma Ebert", "Network team")
    for part in expected:
        assert part in text


def test_pdf_sheet_answers_a_clear_503_where_weasyprint_cannot_load(facilitator_client, community, monkeypatch):
    june = community.meetings["june"]
    # A None entry in sys.modules makes ``import weasyprint`` fail like a missing package.
    monkeypatch.setitem(sys.modules, "weasyprint", None)

    response = facilitator_client.get(f"/reports/meetings/{june.pk}/attendance.pdf")

    assert response.status_code == 503
    html = response.content.decode()
    assert "The attendance sheet cannot be made as a PDF right now" in html
    assert f'href="/reports/meetings/{june.pk}/attendance.csv"' in html


def test_meeting_page_links_the_sheet_in_its_attendance_area_for_facilitators(client_for, community):
    june = community.meetings["june"]
    facilitator, member = client_for("facilitator"), client_for("member")

    shown = facilitator.get(f"/meetings/{june.pk}/").content.decode()
    hidden = member.get(f"/meetings/{june.pk}/").content.decode()

    aside = shown.split('<aside class="col-lg-4">', 1)[1]
    assert f'href="/reports/meetings/{june.pk}/attendance.csv"' in aside
    assert f'href="/reports/meetings/{june.pk}/attendance.pdf"' in aside
    assert "/attendance.csv" not in hidden
