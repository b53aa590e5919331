import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from community.enums import FACILITATORS_GROUP
from community.tests.factories import UserFactory, facilitator
from e2e.conftest import sign_in
from meetings.enums import AgendaKind, MeetingState
from meetings.models import AgendaItem, Meeting
from themes.models import Theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def test_member_proposes_another_volunteers_and_a_facilitator_schedules_it(page, new_page):
    # Earlier transactional tests flush the tables, groups made by migrations included.
    Group.objects.get_or_create(name=FACILITATORS_GROUP)
    proposer = UserFactory(email="paula@example.org", display_name="Paula Reis")
    volunteer = UserFactory(email="kofi@example.org", display_name="Kofi Mensah")
    host = facilitator(email="fatou@example.org", display_name="Fatou Diallo")
    meeting = Meeting.objects.create(
        title="Meeting of May",
        starts_at=timezone.now() + timedelta(days=21),
        state=MeetingState.PUBLISHED,
    )
    Meeting.objects.create(title="Draft meeting", starts_at=timezone.now() + timedelta(days=40))

    # A member proposes a theme.
    sign_in(page, proposer.email, PASSWORD)
    page.goto("/themes/")
    page.get_by_role("link", name="Propose a theme").click()
    page.get_by_label("Title").fill("Gamified speed networking between partners")
    page.get_by_label("Summary").fill("Partners meet in seven-minute rounds with conversation cards.")
    page.get_by_label("An innovation or success").check()
    page.get_by_label("Topics").fill("Inter-partner links, Events")
    page.get_by_role("button", name="Propose the theme").click()
    expect(page.get_by_role("heading", name="Gamified speed networking between partners")).to_be_visible()
    theme = Theme.objects.get()

    # A second member shows interest (without reloading) and volunteers.
    other = new_page()
    sign_in(other, volunteer.email, PASSWORD)
    other.goto("/themes/")
    other.get_by_role("link", name="Gamified speed networking between partners").click()
    header = other.locator(f"#interest-{theme.pk}")
    header.get_by_role("button", name="I want to hear this").click()
    expect(header.get_by_role("button", name="I'm interested")).to_be_visible()
    expect(header).to_contain_text("1 interested")
    other.get_by_role("link", name="Volunteer to present").click()
    other.get_by_label("What would you share?").fill("We ran it with twelve partners in Accra.")
    other.get_by_role("button", name="I volunteer").click()
    presenters = other.locator("#presenters")
    expect(presenters).to_contain_text("Kofi Mensah")
    expect(presenters).to_contain_text("Volunteered")

    # A facilitator confirms the presenter and schedules the theme on a published meeting.
    desk = new_page()
    sign_in(desk, host.email, PASSWORD)
    desk.goto(f"/themes/{theme.pk}/")
    desk.locator("#presenters").get_by_role("button", name="Confirm").click()
    expect(desk.locator("#presenters")).to_contain_text("Confirmed")
    desk.get_by_role("link", name="Schedule on a meeting").click()
    options = desk.get_by_label("Meeting").locator("option").all_inner_texts()
    assert [re.sub(r" — .*", "", text) for text in options] == ["Meeting of May"]
    desk.get_by_role("button", name="Schedule").click()
    expect(desk.locator(".theme-scheduled")).to_contain_text("Scheduled on Meeting of May")

    # Everyone reading the theme sees where it is scheduled.
    other.reload()
    expect(other.locator(".theme-scheduled")).to_contain_text("Meeting of May")

    theme.refresh_from_db()
    item = AgendaItem.objects.get(meeting=meeting, kind=AgendaKind.HUMAN_BOOKSTORE)
    assert (theme.state, theme.meeting, theme.agenda_item) == ("scheduled", meeting, item)
    assert list(item.leads.all()) == [volunteer]
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "kofi@example.org",
        "paula@example.org",
    ]

    # The meeting page shows the theme in its human bookstore, with its presenter.
    other.goto(f"/meetings/{meeting.pk}/")
    expect(other.get_by_role("main")).to_contain_text(theme.title)
    expect(other.get_by_role("main")).to_contain_text("Kofi Mensah")
