"""Digests: their windows (late or missed ticks, a change of clocks, a change of frequency), exactly
one per member per period, nothing sent when there is nothing new, in the member's language."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from community.services import profile_update
from community.tests.factories import UserFactory
from guide.enums import ContributionState
from guide.tests.factories import ContributionFactory
from meetings.reminders import periods, services
from meetings.reminders.enums import DeliveryKind, DeliveryStatus
from meetings.reminders.models import Delivery
from meetings.reminders.tests.factories import MeetingFactory
from themes.models import Question, Theme
from themes.tests.factories import QuestionFactory, ThemeFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)


def weekly_member(*, since, **fields):
    defaults = {"time_zone": "Europe/Paris", "theme_updates_frequency": "weekly", "theme_updates_digested_until": since}
    return UserFactory(**(defaults | fields))


def theme_at(moment, **fields) -> Theme:
    theme = ThemeFactory(**fields)
    Theme.objects.filter(pk=theme.pk).update(created_at=moment)
    return theme


def question_at(moment, **fields) -> Question:
    question = QuestionFactory(**fields)
    Question.objects.filter(pk=question.pk).update(created_at=moment)
    return question


def digest_rows(member):
    return list(
        Delivery.objects.filter(member=member, kind__in=(DeliveryKind.WEEKLY_DIGEST, DeliveryKind.MONTHLY_DIGEST))
        .order_by("pk")
        .values_list("kind", "period_start", "period_end", "digest_windows")
    )


def window(start, end) -> list[str]:
    return [start.isoformat(), end.isoformat()]


def send(now) -> list:
    mail.outbox.clear()
    services.digests_send(now=now)
    return list(mail.outbox)


def test_weekly_boundary_is_monday_eight_in_the_member_zone_across_the_change_of_clocks():
    # Clocks go forward in Paris on Sunday 28 March 2027: that week lasts 167 hours.
    after_change = paris(2027, 3, 29, 9, 0)

    end = periods.latest_boundary(frequency="weekly", now=after_change, zone=PARIS)
    start = periods.previous_boundary(frequency="weekly", boundary=end, zone=PARIS)

    assert (start, end) == (datetime(2027, 3, 22, 7, 0, tzinfo=UTC), datetime(2027, 3, 29, 6, 0, tzinfo=UTC))
    assert end - start == timedelta(hours=167)


def test_monthly_boundary_is_the_first_at_eight_local():
    end = periods.latest_boundary(frequency="monthly", now=paris(2027, 4, 1, 7, 59), zone=PARIS)

    assert end == paris(2027, 3, 1, 8, 0)
    assert periods.previous_boundary(frequency="monthly", boundary=end, zone=PARIS) == paris(2027, 2, 1, 8, 0)


def test_digest_across_the_change_of_clocks_gathers_up_to_monday_eight_local_and_the_rest_next_week():
    member = weekly_member(since=paris(2027, 3, 22, 8, 0))
    before = theme_at(paris(2027, 3, 29, 7, 59), title="Before the boundary")
    after = theme_at(paris(2027, 3, 29, 8, 1), title="After the boundary")

    services.digests_dispatch(now=paris(2027, 3, 29, 8, 5))
    first = send(paris(2027, 3, 29, 8, 6))
    services.digests_dispatch(now=paris(2027, 4, 5, 8, 5))
    second = send(paris(2027, 4, 5, 8, 6))

    assert digest_rows(member) == [
        (
            "digest_weekly",
            paris(2027, 3, 22, 8, 0),
            paris(2027, 3, 29, 8, 0),
            {"theme_updates": window(paris(2027, 3, 22, 8, 0), paris(2027, 3, 29, 8, 0))},
        ),
        (
            "digest_weekly",
            paris(2027, 3, 29, 8, 0),
            paris(2027, 4, 5, 8, 0),
            {"theme_updates": window(paris(2027, 3, 29, 8, 0), paris(2027, 4, 5, 8, 0))},
        ),
    ]
    assert [m.to for m in first] == [[member.email]]
    assert before.title in first[0].body and after.title not in first[0].body
    assert after.title in second[0].body and before.title not in second[0].body


def test_a_late_tick_sends_the_same_digest_once_and_a_tick_before_the_boundary_sends_nothing():
    member = weekly_member(since=paris(2027, 5, 3, 8, 0))
    theme_at(paris(2027, 5, 5, 12, 0))

    assert services.digests_dispatch(now=paris(2027, 5, 10, 7, 55)) == 0
    assert services.digests_dispatch(now=paris(2027, 5, 11, 15, 0)) == 1  # a day and a half late
    assert services.digests_dispatch(now=paris(2027, 5, 11, 15, 5)) == 0

    assert [(row[1], row[2]) for row in digest_rows(member)] == [(paris(2027, 5, 3, 8, 0), paris(2027, 5, 10, 8, 0))]
    assert len(send(paris(2027, 5, 11, 15, 6))) == 1
    member.refresh_from_db()
    assert member.theme_updates_digested_until == paris(2027, 5, 10, 8, 0)


def test_missed_weeks_are_gathered_in_the_next_digest_and_nothing_is_dropped():
    member = weekly_member(since=paris(2027, 5, 3, 8, 0))
    early = theme_at(paris(2027, 5, 4, 9, 0), title="Early theme")
    late = theme_at(paris(2027, 5, 18, 9, 0), title="Late theme")

    # Beat was down from 9 May to 25 May: the digest of the period ending 24 May covers it all.
    services.digests_dispatch(now=paris(2027, 5, 25, 9, 0))
    sent = send(paris(2027, 5, 25, 9, 1))

    assert [(row[1], row[2], row[3]) for row in digest_rows(member)] == [
        (
            paris(2027, 5, 17, 8, 0),
            paris(2027, 5, 24, 8, 0),
            {"theme_updates": window(paris(2027, 5, 3, 8, 0), paris(2027, 5, 24, 8, 0))},
        )
    ]
    assert early.title in sent[0].body and late.title in sent[0].body


def test_weekly_to_monthly_starts_the_monthly_window_where_the_last_weekly_ended():
    member = weekly_member(since=paris(2027, 5, 24, 8, 0))
    services.digests_dispatch(now=paris(2027, 5, 31, 8, 5))
    profile_update(member=member, values={"theme_updates_frequency": "monthly"}, languages=[], expertise=[])
    theme_at(paris(2027, 5, 31, 10, 0), title="Right after the weekly")

    services.digests_dispatch(now=paris(2027, 6, 1, 8, 5))
    sent = send(paris(2027, 6, 1, 8, 6))

    assert [(row[0], row[3]) for row in digest_rows(member)] == [
        ("digest_weekly", {"theme_updates": window(paris(2027, 5, 24, 8, 0), paris(2027, 5, 31, 8, 0))}),
        ("digest_monthly", {"theme_updates": window(paris(2027, 5, 31, 8, 0), paris(2027, 6, 1, 8, 0))}),
    ]
    assert "Right after the weekly" in sent[-1].body


def test_switching_from_immediate_starts_the_first_window_at_the_switch():
    member = UserFactory(time_zone="Europe/Paris")
    theme_at(timezone.now() - timedelta(days=2), title="Before the switch")
    switched_at = timezone.now()
    profile_update(member=member, values={"theme_updates_frequency": "weekly"}, languages=[], expertise=[])
    member.refresh_from_db()
    assert member.theme_updates_digested_until >= switched_at

    theme_at(switched_at + timedelta(minutes=1), title="After the switch")
    later = switched_at + timedelta(days=8)
    services.digests_dispatch(now=later)
    sent = send(later)

    assert [row[3]["theme_updates"][0] for row in digest_rows(member)] == [
        member.theme_updates_digested_until.isoformat()
    ]
    assert "After the switch" in sent[0].body and "Before the switch" not in sent[0].body


def test_two_dispatch_runs_and_two_send_runs_send_one_digest():
    member = weekly_member(since=paris(2027, 5, 3, 8, 0))
    theme_at(paris(2027, 5, 5, 12, 0))

    services.digests_dispatch(now=paris(2027, 5, 10, 8, 5))
    services.digests_dispatch(now=paris(2027, 5, 10, 8, 10))
    first = send(paris(2027, 5, 10, 8, 11))
    second = send(paris(2027, 5, 10, 8, 12))

    assert (len(first), len(second)) == (1, 0)
    assert list(Delivery.objects.filter(member=member).values_list("status", flat=True)) == [DeliveryStatus.SENT]


def test_a_digest_claimed_by_a_sender_that_died_is_sent_once_by_the_next(settings):
    member = weekly_member(since=paris(2027, 5, 3, 8, 0))
    theme_at(paris(2027, 5, 5, 12, 0))
    services.digests_dispatch(now=paris(2027, 5, 10, 8, 5))
    # The first sender claimed the row and died before sending.
    Delivery.objects.filter(member=member).update(
        status=DeliveryStatus.CLAIMED, claim_token="dead", claimed_at=paris(2027, 5, 10, 8, 6), attempts=1
    )

    too_soon = send(paris(2027, 5, 10, 8, 7))
    after_timeout = send(paris(2027, 5, 10, 8, 6) + timedelta(minutes=settings.REMINDER_CLAIM_TIMEOUT_MINUTES + 1))
    again = send(paris(2027, 5, 10, 9, 0))

    assert (len(too_soon), len(after_timeout), len(again)) == (0, 1, 0)
    row = Delivery.objects.get(member=member)
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 2)
    assert after_timeout[0].extra_headers["Message-ID"] == row.message_id


def test_nothing_new_sends_nothing_and_closes_the_window():
    member = weekly_member(since=paris(2027, 5, 3, 8, 0))
    theme_at(paris(2027, 5, 5, 12, 0), proposer=member)  # their own theme is not news to them

    services.digests_dispatch(now=paris(2027, 5, 10, 8, 5))
    sent = send(paris(2027, 5, 10, 8, 6))

    assert sent == []
    assert list(Delivery.objects.filter(member=member).values_list("status", flat=True)) == [DeliveryStatus.SKIPPED]
    member.refresh_from_db()
    assert member.theme_updates_digested_until == paris(2027, 5, 10, 8, 0)


def test_digest_gathers_each_topic_of_its_frequency():
    member = UserFactory(
        time_zone="Europe/Paris",
        theme_updates_frequency="weekly",
        guide_updates_frequency="weekly",
        meeting_news_frequency="weekly",
    )
    followed = ThemeFactory(proposer=member, title="Valorising a partnership")
    question_at(paris(2027, 5, 6, 10, 0), theme=followed)
    question_at(paris(2027, 5, 6, 11, 0), theme=followed)
    entry = ContributionFactory(state=ContributionState.PUBLISHED, published_at=paris(2027, 5, 7, 9, 0))
    published = MeetingFactory(title="June meeting", published_at=paris(2027, 5, 4, 9, 0))
    # No window stored (e.g. chosen in the admin): the first digest gathers its period.
    services.digests_dispatch(now=paris(2027, 5, 10, 8, 5))

    sent = send(paris(2027, 5, 10, 8, 6))

    body = sent[0].body
    assert [m.to for m in sent] == [[member.email]]
    assert "Valorising a partnership — 2 new questions" in body
    assert entry.title in body and published.title in body
    assert "Next meeting:" in body and "/going/" in body
    assert sent[0].subject == "Your weekly digest from Keep in Pact"
    assert sent[0].alternatives[0][1] == "text/html"


def test_digest_is_written_in_the_member_language_and_time_zone():
    member = weekly_member(since=paris(2027, 5, 3, 8, 0), preferred_language="pt", time_zone="America/Sao_Paulo")
    theme_at(paris(2027, 5, 5, 12, 0), title="Parcerias locais")

    services.digests_dispatch(now=datetime(2027, 5, 10, 12, 0, tzinfo=UTC))
    sent = send(datetime(2027, 5, 10, 12, 1, tzinfo=UTC))

    body = sent[0].body
    assert body.startswith(f"Olá {member.display_name},")
    assert "Temas à procura de apresentadores" in body
    assert "America/Sao_Paulo" in body
    # Monday 08:00 in São Paulo is 11:00 UTC.
    assert digest_rows(member)[0][2] == datetime(2027, 5, 10, 11, 0, tzinfo=UTC)


def test_never_and_immediate_members_get_no_digest():
    UserFactory(theme_updates_frequency="never")
    UserFactory()
    theme_at(paris(2027, 5, 5, 12, 0))

    assert services.digests_dispatch(now=paris(2027, 5, 10, 8, 5)) == 0
    assert Delivery.objects.count() == 0


def test_publishing_a_meeting_mails_only_members_who_want_new_meetings_right_away(
    django_capture_on_commit_callbacks,
):
    from community.tests.factories import facilitator
    from meetings.services import meeting_publish

    right_away = UserFactory(meeting_news_frequency="immediate", preferred_language="pt")
    UserFactory(meeting_news_frequency="weekly")
    UserFactory()  # the default: never, as before digests existed
    draft = MeetingFactory(state="draft", title="Autumn meeting")

    with django_capture_on_commit_callbacks(execute=True):
        meeting_publish(meeting=draft, by=facilitator())

    assert [m.to for m in mail.outbox] == [[right_away.email]]
    assert "/going/" in mail.outbox[0].body and mail.outbox[0].body.startswith("Olá")


def test_moving_a_topic_back_to_right_away_sends_what_was_gathered_since_the_last_digest():
    since = timezone.now() - timedelta(days=3)
    member = weekly_member(since=since)
    theme_at(since + timedelta(days=1), title="Gathered before the switch")

    profile_update(member=member, values={"theme_updates_frequency": "immediate"}, languages=[], expertise=[])
    sent = send(timezone.now())

    [(kind, _start, _end, windows)] = digest_rows(member)
    assert kind == DeliveryKind.WEEKLY_DIGEST
    assert windows["theme_updates"][0] == since.isoformat()
    assert [message.to for message in sent] == [[member.email]]
    assert "Gathered before the switch" in sent[0].body
    member.refresh_from_db()
    assert member.theme_updates_digested_until is None
    services.digests_dispatch(now=timezone.now() + timedelta(days=8))
    assert len(digest_rows(member)) == 1


def test_moving_a_topic_to_never_drops_what_was_gathered():
    since = timezone.now() - timedelta(days=3)
    member = weekly_member(since=since)
    theme_at(since + timedelta(days=1), title="Not wanted any more")

    profile_update(member=member, values={"theme_updates_frequency": "never"}, languages=[], expertise=[])

    assert digest_rows(member) == []
    assert send(timezone.now()) == []
