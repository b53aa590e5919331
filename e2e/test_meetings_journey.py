import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from icalendar import Calendar

from community.tests.factories import UserFactory, facilitator
from e2e.conftest import sign_in
from meetings.enums import MeetingState, RSVPResponse
from meetings.models import RSVP, Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]

PASSWORD = "a-long-test-password"


def test_facilitator_schedules_and_publishes_member_rsvps_and_downloads_ics(page, new_page):
    host = facilitator(display_name="Fatou Diallo", email="fatou@example.org", time_zone="Europe/Paris")
    UserFactory(display_name="Mariana Costa", email="mariana@example.org", time_zone="Europe/Lisbon")
    day = (timezone.now() + timedelta(days=21)).date()

    sign_in(page, host.email, PASSWORD)
    page.goto("/meetings/")
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Title").fill("Partnership officers — winter meeting")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Starts at").fill("14:00")
    page.get_by_label("Ends at").fill("16:00")
    page.get_by_label("Time zone").select_option("Europe/Paris")
    page.get_by_label("Online link").fill("https://meet.example.org/winter")
    page.get_by_label("Capacity").fill("20")
    page.get_by_role("button", name="Save as draft").click()

    page.get_by_text("Meeting saved as a draft with the standard agenda.").wait_for()
    page.get_by_role("heading", name=re.compile("Partnership officers — winter meeting")).wait_for()
    for item in ("Hot news", "Key barriers and challenges", "Opportunities and successes", "Human bookstore"):
        assert page.locator(".agenda-item", has_text=item).count() == 1
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("The meeting is published").wait_for()
    meeting = Meeting.objects.get()
    assert meeting.state == MeetingState.PUBLISHED

    member_page = new_page()
    sign_in(member_page, "mariana@example.org", PASSWORD)
    member_page.goto("/meetings/")
    member_page.get_by_role("link", name="Partnership officers — winter meeting").click()
    # 14:00 in Paris is 13:00 in Lisbon, shown with the zone named.
    assert "14:00" not in member_page.locator(".meeting-when").inner_text()
    assert "13:00" in member_page.locator(".meeting-when").inner_text()
    member_page.get_by_text("(Europe/Lisbon)").first.wait_for()
    member_page.get_by_role("button", name="Going", exact=True).click()
    member_page.get_by_text("You are going. See you there!").wait_for()
    assert RSVP.objects.get(meeting=meeting).response == RSVPResponse.GOING

    with member_page.expect_download() as download_info:
        member_page.get_by_role("link", name="Add to my calendar (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == f"meeting-{meeting.pk}.ics"
    [event] = Calendar.from_ical(Path(download.path()).read_bytes()).walk("VEVENT")
    assert event.decoded("dtstart") == meeting.starts_at
    assert str(event["summary"]) == "Partnership officers — winter meeting"
    assert "https://meet.example.org/winter" in str(event["description"])
