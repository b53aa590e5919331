from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from meetings.reminders import schedule
from meetings.reminders.schedule import Moment

STARTS_AT = datetime(2027, 1, 20, 14, 0, tzinfo=UTC)


def test_parse_offsets_reads_the_facilitators_list_largest_first():
    assert schedule.parse_offsets("14 days, 2 days, 1 hour") == [14 * 24 * 60, 2 * 24 * 60, 60]


def test_parse_offsets_reads_french_abbreviations_and_removes_duplicates():
    assert schedule.parse_offsets("1 semaine; 2 jours et 3 heures, 30 min, 7 d, 3h") == [10080, 2880, 180, 30]


def test_parse_offsets_empty_means_no_reminder():
    assert schedule.parse_offsets("  ") == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("3 fortnights", "unreadable"),
        ("days", "unreadable"),
        ("2.5 days", "unreadable"),
        ("5 minutes", "range"),
        ("9 weeks", "range"),
        ("1 day, 2 days, 3 days, 4 days, 5 days, 6 days, 7 days", "too_many"),
    ],
)
def test_parse_offsets_refuses_what_it_cannot_use(text, code):
    with pytest.raises(ValidationError) as error:
        schedule.parse_offsets(text)

    assert error.value.code == code


def test_parse_offsets_names_the_unreadable_part():
    with pytest.raises(ValidationError) as error:
        schedule.parse_offsets("2 days, 3 fortnights")

    assert error.value.messages == ["“3 fortnights” is not a delay such as “2 days”, “3 hours” or “30 minutes”."]


def test_format_offsets_reads_back_as_the_same_list():
    offsets = [20160, 2880, 1500, 60, 90]

    text = schedule.format_offsets(offsets)

    assert text == "14 days, 2 days, 25 hours, 1 hour, 90 minutes"
    assert schedule.parse_offsets(text) == sorted(offsets, reverse=True)


def test_a_reminder_is_due_from_its_moment_until_the_end_of_the_grace_window(settings):
    settings.REMINDER_GRACE_MINUTES = 120
    moment = STARTS_AT - timedelta(days=1)

    def at(now):
        return schedule.due_window(starts_at=STARTS_AT, now=now).moment(24 * 60)

    assert at(moment - timedelta(seconds=1)) is Moment.LATER
    assert at(moment) is Moment.DUE
    assert at(moment + timedelta(minutes=120)) is Moment.DUE
    assert at(moment + timedelta(minutes=120, seconds=1)) is Moment.MISSED


def test_nothing_is_due_once_the_meeting_started():
    window = schedule.due_window(starts_at=STARTS_AT, now=STARTS_AT)

    assert window.moment(10) is Moment.MISSED


def test_one_day_reminder_on_the_day_clocks_change_is_exactly_24_hours_before():
    # 28 March 2027: Brussels moves from UTC+1 to UTC+2 at 02:00; the meeting is at 09:00 local.
    starts_at = datetime(2027, 3, 28, 7, 0, tzinfo=UTC)

    due = schedule.due_at(starts_at=starts_at, offset=24 * 60)

    assert due == datetime(2027, 3, 27, 7, 0, tzinfo=UTC)
    assert (starts_at - due).total_seconds() == 24 * 3600


def test_beat_runs_the_dispatch_every_few_minutes(settings):
    from meetings.reminders.tasks import dispatch_reminders

    entry = settings.CELERY_BEAT_SCHEDULE["meeting-reminders"]

    assert entry["task"] == dispatch_reminders.name
    assert entry["schedule"] == 300.0
    assert entry["options"]["expire_seconds"] < entry["schedule"]
    assert settings.REMINDER_CLAIM_TIMEOUT_MINUTES * 60 > 2 * 120  # longer than a send task may run


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "14 jours, 2 jours, 25 heures, 1 heure, 90 minutes"),
        ("pt", "14 dias, 2 dias, 25 horas, 1 hora, 90 minutos"),
        ("es", "14 días, 2 días, 25 horas, 1 hora, 90 minutos"),
    ],
)
def test_format_offsets_in_each_language_reads_back_as_the_same_list(language, expected):
    offsets = [20160, 2880, 1500, 60, 90]

    with translation.override(language):
        text = schedule.format_offsets(offsets)

    assert text == expected
    assert schedule.parse_offsets(text) == sorted(offsets, reverse=True)


def test_parse_offsets_reads_portuguese_and_spanish_joined_by_their_and():
    assert schedule.parse_offsets("1 semana, 2 dias e 3 horas") == [10080, 2880, 180]
    assert schedule.parse_offsets("2 semanas y 1 día, 30 minutos") == [20160, 1440, 30]
