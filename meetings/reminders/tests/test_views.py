from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.tests.factories import UserFactory, facilitator
from meetings.enums import MeetingState
from meetings.reminders import hooks, selectors
from meetings.reminders.enums import DeliveryKind, DeliveryStatus
from meetings.reminders.models import Delivery, ReminderSettings
from meetings.services import meeting_reschedule

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return MeetingFactory(title="Summer meeting", starts_at=timezone.now() + timedelta(days=3))


def url(meeting):
    return reverse("meetings:reminders", kwargs={"pk": meeting.pk})


@pytest.mark.parametrize(
    ("role", "status", "location"),
    [
        ("visitor", 302, "/accounts/login/?next={url}"),
        ("pending", 302, "/members/waiting/"),
        ("member", 404, None),
        ("facilitator", 200, None),
        ("editor", 404, None),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_reminders_page_is_for_facilitators(client_for, meeting, role, status, location, method):
    client = client_for(role)

    response = getattr(client, method)(url(meeting), {"offsets": "2 days"} if method == "post" else None)

    expected_status = 302 if method == "post" and role == "facilitator" else status
    assert response.status_code == expected_status
    if location:
        assert response["Location"] == location.format(url=url(meeting))
    saved = ReminderSettings.objects.filter(meeting=meeting).values_list("offsets", flat=True).first()
    assert saved == ([2880] if method == "post" and role == "facilitator" else None)


def test_unknown_meeting_is_not_found(facilitator_client):
    assert facilitator_client.get("/meetings/999999/reminders/").status_code == 404


def test_form_shows_the_default_offsets(facilitator_client, meeting):
    response = facilitator_client.get(url(meeting))

    assert response.context["form"].initial == {"offsets": "7 days, 1 day"}
    assert 'value="7 days, 1 day"' in response.content.decode()


def test_facilitator_sets_the_offsets(facilitator_client, facilitator, meeting):
    response = facilitator_client.post(url(meeting), {"offsets": "14 days, 2 days, 1 hour"})

    assert response.status_code == 302
    assert response["Location"] == url(meeting)
    saved = ReminderSettings.objects.get(meeting=meeting)
    assert (saved.offsets, saved.updated_by) == ([20160, 2880, 60], facilitator)
    assert facilitator_client.get(url(meeting)).context["form"].initial == {"offsets": "14 days, 2 days, 1 hour"}


def test_empty_list_means_no_reminders(facilitator_client, meeting):
    facilitator_client.post(url(meeting), {"offsets": ""})

    assert ReminderSettings.objects.get(meeting=meeting).offsets == []
    assert "No reminder is planned for this meeting." in facilitator_client.get(url(meeting)).content.decode()


def test_unreadable_offsets_are_refused_and_kept_in_the_form(facilitator_client, meeting):
    response = facilitator_client.post(url(meeting), {"offsets": "2 days, 3 fortnights"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "offsets": ["“3 fortnights” is not a delay such as “2 days”, “3 hours” or “30 minutes”."]
    }
    assert 'value="2 days, 3 fortnights"' in response.content.decode()
    assert not ReminderSettings.objects.filter(meeting=meeting).exists()


def add_deliveries(meeting, count):
    members = UserFactory.create_batch(count)
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(
                meeting=meeting,
                member=member,
                offset_minutes=10080,
                starts_at=meeting.starts_at,
                status=DeliveryStatus.SENT,
                sent_at=now,
            )
            for member in members
        ]
        + [
            Delivery(
                meeting=meeting,
                member=member,
                kind=DeliveryKind.CANCELLED,
                starts_at=meeting.starts_at,
                status=DeliveryStatus.FAILED,
                attempts=5,
                last_error="SMTPServerDisconnected: Connection unexpectedly closed",
            )
            for member in members
        ]
    )


def test_summary_counts_what_went_out_and_lists_failures(facilitator_client, meeting):
    add_deliveries(meeting, 3)

    response = facilitator_client.get(url(meeting))

    summary = response.context["reminder_summary"]
    [week, day] = summary["reminders"]
    assert (week.label, week.state, week.counts.sent, week.counts.failed) == ("7 days", "missed", 3, 0)
    assert (day.label, day.state, day.counts.total) == ("1 day", "later", 0)
    [notice] = summary["notices"]
    assert (notice.kind, notice.counts.sent, notice.counts.failed) == (DeliveryKind.CANCELLED, 0, 3)
    assert len(summary["failures"]) == 3
    page = response.content.decode()
    assert "Sent to 3 members" in page
    assert "3 failed" in page


def test_summary_queries_do_not_grow_with_deliveries(facilitator_client):
    def queries_for(count):
        meeting = MeetingFactory()
        add_deliveries(meeting, count)
        with CaptureQueriesContext(connection) as queries:
            assert facilitator_client.get(url(meeting)).status_code == 200
        return len(queries)

    assert queries_for(1) == queries_for(10)


def test_summary_reads_settings_and_counts_in_one_query_and_names_failures_in_a_second(meeting):
    ReminderSettings.objects.create(meeting=meeting, offsets=[60, 2880], schedule_version=0)
    with CaptureQueriesContext(connection) as quiet:
        summary = selectors.reminder_summary(meeting=meeting)
    assert [line.offset for line in summary["reminders"]] == [2880, 60]
    assert summary["failures"] == []

    add_deliveries(meeting, 2)
    with CaptureQueriesContext(connection) as failing:
        summary = selectors.reminder_summary(meeting=meeting)

    assert (len(quiet), len(failing)) == (1, 2)
    assert [line.offset for line in summary["reminders"]] == [10080, 2880, 60]
    assert summary["reminders"][0].state == "removed"
    assert len(summary["failures"]) == 2


def test_meeting_section_hook_is_for_facilitators_only(meeting, member):
    assert hooks.meeting_sections(meeting, member) == []
    assert hooks.meeting_sections(meeting, UserFactory.build(is_active=False)) == []

    [section] = hooks.meeting_sections(meeting, facilitator())

    assert section["template"] == "meetings/reminders/_meeting_section.html"
    html = render_to_string(section["template"], {"section": section, "meeting": meeting})  # as the meeting page does
    assert f'href="/meetings/{meeting.pk}/reminders/"' in html
    assert "Reminders and notices" in html


def test_cancelled_meeting_summary_says_reminders_are_not_sent(facilitator_client, meeting):
    meeting.state = MeetingState.CANCELLED
    meeting.save(update_fields=["state"])

    response = facilitator_client.get(url(meeting))

    assert [line.state for line in response.context["reminder_summary"]["reminders"]] == ["inactive", "inactive"]
    assert "Not sent while the meeting is not published" in response.content.decode()


def test_export_lists_the_meeting_emails_of_the_member(meeting, member):
    sent_at = timezone.now()
    Delivery.objects.create(
        meeting=meeting,
        member=member,
        offset_minutes=1440,
        starts_at=meeting.starts_at,
        status=DeliveryStatus.SENT,
        sent_at=sent_at,
    )
    Delivery.objects.create(meeting=meeting, member=UserFactory(), offset_minutes=1440, starts_at=meeting.starts_at)

    assert hooks.export_personal_data(member) == {
        "meeting_emails": [
            {
                "meeting": "Summer meeting",
                "meeting_id": meeting.pk,
                "period_start": None,
                "kind": "reminder",
                "minutes_before_start": 1440,
                "status": "sent",
                "sent_at": sent_at.isoformat(),
            }
        ]
    }


def test_meeting_page_shows_the_planned_reminders_to_facilitators(client):
    from datetime import timedelta

    from django.utils import timezone

    from community.tests.factories import facilitator as make_facilitator
    from meetings.enums import MeetingState
    from meetings.reminders.tests.factories import MeetingFactory

    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=20), state=MeetingState.PUBLISHED)
    client.force_login(make_facilitator())

    body = client.get(f"/meetings/{meeting.pk}/").content.decode()

    assert "Change the reminders" in body
    assert body.count("Planned") == 2


def test_summary_tells_which_date_each_reminder_went_out_for(facilitator_client, meeting):
    members = [UserFactory() for _ in range(2)]
    old_start = meeting.starts_at
    meeting_reschedule(meeting=meeting, starts_at=old_start + timedelta(days=14), by=None)
    meeting.refresh_from_db()
    sent_at = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(
                meeting=meeting,
                member=members[0],
                offset_minutes=10080,
                version=0,
                starts_at=old_start,
                status=DeliveryStatus.SENT,
                sent_at=sent_at,
            ),
            Delivery(
                meeting=meeting,
                member=members[1],
                offset_minutes=10080,
                version=0,
                starts_at=old_start,
                status=DeliveryStatus.SUPERSEDED,
            ),
        ]
    )

    response = facilitator_client.get(url(meeting))

    lines = response.context["reminder_summary"]["reminders"]
    assert [(line.label, line.state, line.starts_at, line.counts.sent, line.counts.superseded) for line in lines] == [
        ("7 days", "later", meeting.starts_at, 0, 0),
        ("1 day", "later", meeting.starts_at, 0, 0),
        ("7 days", "earlier", old_start, 1, 1),
    ]
    page = response.content.decode()
    assert "earlier date" in page
    assert "1 not sent: the date changed" in page
