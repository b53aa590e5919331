"""The dashboard's "since your last visit": the digest's sections from the end of the previous visit."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.tests.factories import UserFactory
from community.visits import LAST_SEEN_RESOLUTION, VISIT_GAP, visit_record
from guide.enums import ContributionState
from guide.tests.factories import ContributionFactory
from meetings.tests.factories import MeetingFactory
from themes.tests.factories import QuestionFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_a_request_within_minutes_writes_nothing_and_a_new_visit_moves_the_summary_start():
    member = UserFactory()
    start = timezone.now()

    assert visit_record(member=member, now=start) is True
    assert visit_record(member=member, now=start + LAST_SEEN_RESOLUTION / 2) is False
    assert visit_record(member=member, now=start + LAST_SEEN_RESOLUTION) is True
    member.refresh_from_db()
    assert (member.last_seen_at, member.previous_visit_at) == (start + LAST_SEEN_RESOLUTION, None)

    back = start + LAST_SEEN_RESOLUTION + VISIT_GAP
    visit_record(member=member, now=back)
    member.refresh_from_db()
    assert (member.last_seen_at, member.previous_visit_at) == (back, start + LAST_SEEN_RESOLUTION)


def _news(member, count: int) -> None:
    followed = ThemeFactory(proposer=member)
    for _ in range(count):
        ThemeFactory(title="Looking for presenters")
        QuestionFactory(theme=ThemeFactory(proposer=member))
        ContributionFactory(state=ContributionState.PUBLISHED, published_at=timezone.now())
        MeetingFactory(published_at=timezone.now(), starts_at=timezone.now() + timedelta(days=40))
    QuestionFactory(theme=followed)


def _dashboard(client, member):
    # Came back after a long gap: the summary starts at the end of the previous visit.
    type(member).objects.filter(pk=member.pk).update(
        last_seen_at=timezone.now() - timedelta(days=3), previous_visit_at=timezone.now() - timedelta(days=4)
    )
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    return response, len(queries)


def test_dashboard_lists_what_happened_since_the_last_visit(client):
    member = UserFactory()
    _news(member, 1)
    old = ThemeFactory(title="Proposed long ago")
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))

    response, _queries = _dashboard(client, member)

    summary = response.context["summary"]
    assert [section["title"] for section in summary["sections"]] == [
        "New meetings",
        "Themes looking for presenters",
        "New questions on themes you follow",
        "Published in the guide",
    ]
    assert "Proposed long ago" not in [item["title"] for s in summary["sections"] for item in s["items"]]
    assert "Since your last visit" in response.content.decode()


def test_dashboard_summary_keeps_its_query_count_with_more_news(client):
    one, ten = UserFactory(), UserFactory()
    _news(one, 1)
    _response, first = _dashboard(client, one)
    _news(ten, 10)

    _response, second = _dashboard(client, ten)

    assert first == second
    assert second <= 15


def test_first_visit_shows_no_summary(client):
    member = UserFactory()
    client.force_login(member)

    response = client.get("/")

    assert response.context["summary"] is None
