import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from community.fragments import is_bump
from meetings import services
from meetings.enums import AgendaKind, MeetingState
from meetings.models import AgendaItem, Meeting
from meetings.tests.factories import MeetingFactory, draft_meeting

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def form_data(**overrides) -> dict:
    data = {
        "title": "December meeting",
        "date": (timezone.now() + timedelta(days=30)).astimezone(PARIS).date().isoformat(),
        "start_time": "14:00",
        "end_time": "16:00",
        "time_zone": "Europe/Paris",
        "online_url": "https://meet.example.org/december",
        "place": "",
        "capacity": "",
        "description": "Our regular exchange.",
    }
    data.update(overrides)
    return data


def test_suggested_start_is_two_months_later_at_same_local_time_across_dst():
    # 14:00 Paris in summer time (UTC+2) ...
    last = MeetingFactory(starts_at=datetime(2026, 9, 10, 12, 0, tzinfo=UTC), time_zone="Europe/Paris")
    suggested = services.suggested_start(last=last, now=datetime(2026, 9, 20, tzinfo=UTC))
    # ... gives 14:00 Paris in winter time (UTC+1): 13:00 UTC, not 12:00.
    assert suggested.astimezone(PARIS).replace(tzinfo=None) == datetime(2026, 11, 10, 14, 0)
    assert suggested.astimezone(UTC) == datetime(2026, 11, 10, 13, 0, tzinfo=UTC)


def test_suggested_start_skips_ahead_when_the_last_meeting_is_long_past():
    last = MeetingFactory(starts_at=datetime(2026, 1, 15, 13, 0, tzinfo=UTC), time_zone="Europe/Paris")
    suggested = services.suggested_start(last=last, now=datetime(2026, 6, 1, tzinfo=UTC))
    assert suggested.astimezone(PARIS).replace(tzinfo=None) == datetime(2026, 7, 15, 14, 0)


def test_create_form_proposes_two_months_after_last_meeting(facilitator_client):
    last_start = (
        (timezone.now() + timedelta(days=3)).astimezone(PARIS).replace(hour=9, minute=30, second=0, microsecond=0)
    )
    MeetingFactory(starts_at=last_start, duration_minutes=90, time_zone="Europe/Paris")
    response = facilitator_client.get(reverse("meetings:create"))
    assert response.status_code == 200
    form = response.context["form"]
    expected = (last_start.replace(tzinfo=None) + relativedelta(months=2)).replace(tzinfo=PARIS)
    assert form.initial["date"] == expected.date()
    assert form.initial["start_time"].strftime("%H:%M") == "09:30"
    assert form.initial["end_time"].strftime("%H:%M") == "11:00"
    assert form.initial["time_zone"] == "Europe/Paris"


def test_create_stores_utc_with_standard_agenda_as_draft(facilitator_client, facilitator):
    data = form_data(date="2031-03-20", start_time="09:00", end_time="11:15", time_zone="America/Montreal")
    response = facilitator_client.post(reverse("meetings:create"), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    # Montreal is UTC-4 on 20 March 2031 (summer time since 9 March).
    assert meeting.starts_at == datetime(2031, 3, 20, 13, 0, tzinfo=UTC)
    assert meeting.duration_minutes == 135
    assert meeting.time_zone == "America/Montreal"
    assert meeting.state == MeetingState.DRAFT
    assert meeting.created_by == facilitator
    assert list(meeting.agenda_items.order_by("position").values_list("kind", "position")) == [
        (AgendaKind.HOT_NEWS, 0),
        (AgendaKind.BARRIERS, 1),
        (AgendaKind.OPPORTUNITIES, 2),
        (AgendaKind.HUMAN_BOOKSTORE, 3),
    ]


def test_detail_shows_time_in_viewers_zone_with_zone_named(client, member):
    member.time_zone = "Asia/Tokyo"
    member.save()
    meeting = MeetingFactory(starts_at=datetime(2031, 3, 20, 13, 0, tzinfo=UTC), time_zone="Europe/Paris")
    client.force_login(member)
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Thursday 20 March 2031, 22:00–00:00" in html
    assert "(Asia/Tokyo)" in html
    assert "Organised at 14:00 Europe/Paris." in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start_time": "16:00", "end_time": "15:00"}, "end_time", "The meeting must end after it starts."),
        ({"date": "2020-01-01"}, "date", "This date and time are in the past: choose a moment to come."),
        ({"date": "9999-12-31"}, "date", "A meeting can be scheduled at most five years ahead."),
        ({"online_url": "ftp://files.example.org/meeting"}, "online_url", None),
        ({"online_url": "javascript:alert(1)"}, "online_url", None),
    ],
)
def test_create_refuses_bad_input_and_keeps_what_was_typed(facilitator_client, overrides, field, message):
    data = form_data(**overrides)
    response = facilitator_client.post(reverse("meetings:create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    if message:
        assert form.errors[field] == [message]
    html = response.content.decode()
    assert 'value="December meeting"' in html
    assert "Our regular exchange." in html
    assert Meeting.objects.count() == 0


def test_online_link_must_be_http(facilitator_client):
    response = facilitator_client.post(reverse("meetings:create"), form_data(online_url="ftp://example.org/x"))
    assert response.context["form"].errors["online_url"] == ["The online link must start with http:// or https://."]


def test_service_refuses_a_meeting_in_the_past(facilitator):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            by=facilitator,
            title="Too late",
            starts_at=timezone.now() - timedelta(minutes=1),
            duration_minutes=60,
            time_zone="UTC",
        )
    assert error.value.code == "past"
    assert Meeting.objects.count() == 0


def test_service_refuses_a_meeting_too_far_ahead(facilitator):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            by=facilitator,
            title="Typo",
            starts_at=datetime(9999, 12, 31, 9, tzinfo=UTC),
            duration_minutes=60,
            time_zone="UTC",
        )
    assert error.value.code == "too_far"
    assert Meeting.objects.count() == 0


def test_schedule_page_survives_a_last_meeting_in_the_last_year(facilitator_client):
    MeetingFactory(starts_at=datetime(9999, 12, 31, 9, tzinfo=UTC), time_zone="Pacific/Kiritimati")
    response = facilitator_client.get(reverse("meetings:create"))
    assert response.status_code == 200
    assert response.context["form"].initial["start_time"].hour == 14


def test_publish_makes_draft_visible(facilitator_client, facilitator, client_for):
    meeting = draft_meeting()
    member_client = client_for("member")
    assert member_client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    response = facilitator_client.post(reverse("meetings:publish", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PUBLISHED
    assert meeting.published_at is not None
    assert member_client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200


def test_reschedule_bumps_sequence_and_queues_change_notice(facilitator, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(sequence=2)
    new_start = meeting.starts_at + timedelta(days=1)
    with django_capture_on_commit_callbacks() as callbacks:
        services.meeting_reschedule(meeting=meeting, starts_at=new_start, by=facilitator)
    meeting.refresh_from_db()
    assert meeting.starts_at == new_start
    assert meeting.sequence == 3
    assert len([c for c in callbacks if not is_bump(c)]) == 1


def test_reschedule_of_draft_queues_no_notice(facilitator, django_capture_on_commit_callbacks):
    meeting = draft_meeting()
    with django_capture_on_commit_callbacks() as callbacks:
        services.meeting_reschedule(meeting=meeting, starts_at=meeting.starts_at + timedelta(days=1), by=facilitator)
    assert [c for c in callbacks if not is_bump(c)] == []
    assert Meeting.objects.get().sequence == 1


def test_edit_form_reschedules_published_meeting(facilitator_client):
    meeting = MeetingFactory(starts_at=datetime(2031, 5, 6, 12, 0, tzinfo=UTC))
    data = form_data(date="2031-05-07", start_time="15:00", end_time="16:30", title=meeting.title)
    response = facilitator_client.post(reverse("meetings:edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == datetime(2031, 5, 7, 13, 0, tzinfo=UTC)
    assert meeting.duration_minutes == 90
    assert meeting.sequence == 1


def test_edit_of_past_meeting_keeps_its_date(facilitator_client):
    start = (timezone.now() - timedelta(days=10)).astimezone(PARIS).replace(second=0, microsecond=0)
    meeting = MeetingFactory(starts_at=start)
    data = form_data(
        date=start.date().isoformat(),
        start_time=start.strftime("%H:%M"),
        end_time=(start + timedelta(hours=2)).strftime("%H:%M"),
        title="Renamed",
    )
    if data["end_time"] <= data["start_time"]:
        pytest.skip("the meeting would cross midnight")
    response = facilitator_client.post(reverse("meetings:edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Renamed"
    assert meeting.starts_at == start


def test_cancel_needs_a_reason_and_bumps_sequence(facilitator_client, facilitator, django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    response = facilitator_client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    with django_capture_on_commit_callbacks() as callbacks:
        response = facilitator_client.post(
            reverse("meetings:cancel", args=[meeting.pk]), {"reason": "Too many members at the forum."}
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED
    assert meeting.cancel_reason == "Too many members at the forum."
    assert meeting.cancelled_by == facilitator
    assert meeting.sequence == 1
    assert len([c for c in callbacks if not is_bump(c)]) == 1


def test_state_machine_refuses_moves_outside_the_table(facilitator):
    meeting = MeetingFactory(state=MeetingState.CANCELLED, cancelled_at=timezone.now(), cancel_reason="x")
    with pytest.raises(ValidationError) as error:
        services.meeting_publish(meeting=meeting, by=facilitator)
    assert error.value.code == "transition"
    assert Meeting.objects.get().state == MeetingState.CANCELLED


def test_agenda_items_added_moved_and_removed(facilitator_client, facilitator):
    meeting = services.meeting_create(
        by=facilitator,
        title="M",
        starts_at=timezone.now() + timedelta(days=3),
        duration_minutes=120,
        time_zone="UTC",
    )
    url = reverse("meetings:agenda", args=[meeting.pk])
    response = facilitator_client.post(
        url, {"new-kind": "other", "new-title": "Welcome of new members", "new-duration_minutes": "10"}
    )
    assert response.status_code == 302
    items = list(meeting.agenda_items.order_by("position"))
    assert [i.title for i in items][-1] == "Welcome of new members"
    welcome = items[-1]
    facilitator_client.post(reverse("meetings:agenda_item_move", args=[meeting.pk, welcome.pk]), {"direction": "up"})
    assert list(meeting.agenda_items.order_by("position").values_list("title", flat=True)) == [
        "Hot news",
        "Key barriers and challenges",
        "Opportunities and successes",
        "Welcome of new members",
        "Human bookstore",
    ]
    hot_news = meeting.agenda_items.get(kind=AgendaKind.HOT_NEWS)
    facilitator_client.post(reverse("meetings:agenda_item_remove", args=[meeting.pk, hot_news.pk]))
    assert list(meeting.agenda_items.order_by("position").values_list("position", flat=True)) == [0, 1, 2, 3]
    assert AgendaItem.objects.filter(pk=hot_news.pk).exists() is False


def test_agenda_item_edit_sets_leads(facilitator_client, member):
    meeting = MeetingFactory()
    item = AgendaItem.objects.create(meeting=meeting, kind=AgendaKind.HUMAN_BOOKSTORE, title="Human bookstore")
    response = facilitator_client.post(
        reverse("meetings:agenda_item", args=[meeting.pk, item.pk]),
        {"kind": "human_bookstore", "title": "Human bookstore: GDPR", "duration_minutes": "45", "leads": [member.pk]},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.duration_minutes) == ("Human bookstore: GDPR", 45)
    assert list(item.leads.all()) == [member]


def test_a_meeting_that_has_started_cannot_be_cancelled(
    facilitator_client, facilitator, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(starts_at=timezone.now() - timedelta(days=30))
    page = facilitator_client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert reverse("meetings:cancel", args=[meeting.pk]) not in page.content.decode()
    assert facilitator_client.get(reverse("meetings:cancel", args=[meeting.pk])).status_code == 404
    with django_capture_on_commit_callbacks() as callbacks:
        response = facilitator_client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "Oops"})
    assert response.status_code == 404
    with pytest.raises(ValidationError) as error:
        services.meeting_cancel(meeting=meeting, reason="Oops", by=facilitator)
    assert error.value.code == "started"
    meeting.refresh_from_db()
    assert (meeting.state, meeting.sequence, meeting.cancel_reason) == (MeetingState.PUBLISHED, 0, "")
    assert callbacks == []


def test_standard_agenda_titles_show_in_the_readers_language(client_for):
    meeting = MeetingFactory()
    AgendaItem.objects.create(meeting=meeting, kind=AgendaKind.HOT_NEWS, title="Hot news", position=0)
    AgendaItem.objects.create(meeting=meeting, kind=AgendaKind.BARRIERS, title="Principaux freins et défis", position=1)
    AgendaItem.objects.create(meeting=meeting, kind=AgendaKind.OPPORTUNITIES, title="Our successes", position=2)
    client = client_for("member")
    english = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "<strong>Hot news</strong>" in english
    assert "<strong>Key barriers and challenges</strong>" in english
    assert "<strong>Our successes</strong>" in english
    client.cookies["django_language"] = "fr"
    with translation.override("en"):  # the request switches this thread to French: switch it back after
        french = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "<strong>Actualités du moment</strong>" in french
    assert "<strong>Principaux freins et défis</strong>" in french
    assert "<strong>Our successes</strong>" in french


def test_edit_to_a_past_date_is_refused_by_the_service_and_keeps_what_was_typed(facilitator_client):
    meeting = MeetingFactory(title="May meeting")
    starts_at = meeting.starts_at

    response = facilitator_client.post(
        reverse("meetings:edit", args=[meeting.pk]), form_data(title="Renamed meeting", date="2020-01-01")
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"date": ["This date and time are in the past: choose a moment to come."]}
    assert 'value="Renamed meeting"' in response.content.decode()
    meeting.refresh_from_db()
    # One transaction: the new title was not kept either.
    assert (meeting.title, meeting.starts_at, meeting.sequence) == ("May meeting", starts_at, 0)
