"""Every page of the URL contract, on the demo data and on a scaled copy of it: the same number
of queries, at most 15, and a size that does not follow the data.

The scaled copy is built by the benchmark's own filler (bench/seed_scale.py) with smaller but
proportionate targets, in bulk writes.
"""

import io
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.seed_scale import Targets, seed_scale
from guide.enums import EDITABLE_STATES
from guide.models import Chapter, Contribution
from guide.selectors import AWAITING_REVIEW
from meetings.models import Meeting
from meetings.services import calendar_feed_url
from themes.models import Theme

pytestmark = pytest.mark.django_db

# A tenth of the benchmark's sizes: several times the demo data, with one crowded meeting.
SCALED = Targets(
    members=200,
    themes=60,
    meetings=50,
    rsvps=1200,
    crowded_meeting_answers=120,
    entries=400,
    big_chapter_entries=60,
)
MAX_QUERIES = 15
MAX_KB = 120
# Not a page but a file: the personal-data export reads each kind of data every app holds about
# the member (one query each, 24 today); its count must not grow, its size follows that member.
DOWNLOADS = ("/members/me/export/",)


def _editable_contribution() -> Contribution:
    """The demo contribution its author may still change (the same one before and after scaling)."""
    return Contribution.objects.filter(state__in=EDITABLE_STATES).order_by("pk").first()


def _pages() -> list[tuple[str, str]]:
    """(role, path) for each page, on the objects with the most rows."""
    User = get_user_model()
    crowded = Meeting.objects.annotate(n=Count("rsvps")).order_by("-n", "pk").first()
    past = Meeting.objects.filter(minutes_published_at__isnull=False).order_by("-starts_at").first()
    theme = Theme.objects.annotate(n=Count("interests")).order_by("-n", "pk").first()
    chapter = Chapter.objects.annotate(n=Count("contributions")).order_by("-n", "pk").first()
    member = User.objects.get(email="member@example.org")
    waiting = Contribution.objects.filter(state__in=AWAITING_REVIEW).order_by("pk").first()
    feed = urlsplit(calendar_feed_url(member=member)).path
    return [
        ("visitor", "/"),
        ("visitor", "/accounts/login/"),
        ("visitor", "/accounts/signup/"),
        ("visitor", "/accounts/password/reset/"),
        ("visitor", "/healthz"),
        ("member", "/"),
        ("member", "/accounts/email/"),
        ("member", "/accounts/logout/"),
        ("member", "/search/?q=partner"),
        ("member", "/members/"),
        ("member", "/members/?country=PT"),
        ("member", "/members/?q=partnership+officer"),
        ("member", f"/members/{member.username}/"),
        ("member", "/members/me/edit/"),
        ("member", "/members/me/export/"),
        ("member", "/members/me/delete/"),
        ("facilitator", "/members/pending/"),
        ("member", "/meetings/"),
        ("member", "/meetings/?page=2"),
        ("member", "/meetings/resources/"),
        ("member", f"/meetings/{crowded.pk}/"),
        ("member", f"/meetings/{crowded.pk}/ical/"),
        ("visitor", feed),
        ("facilitator", "/meetings/new/"),
        ("facilitator", f"/meetings/{crowded.pk}/"),
        ("facilitator", f"/meetings/{past.pk}/"),
        ("facilitator", f"/meetings/{crowded.pk}/attendance/"),
        ("facilitator", f"/meetings/{past.pk}/minutes/"),
        ("facilitator", f"/meetings/{crowded.pk}/agenda/"),
        ("facilitator", f"/meetings/{crowded.pk}/answers/"),
        ("facilitator", f"/meetings/{crowded.pk}/networking/"),
        ("facilitator", "/reports/"),
        ("facilitator", "/reports/?period=all"),
        ("facilitator", "/reports/meetings.xlsx?period=all"),
        ("facilitator", f"/reports/meetings/{crowded.pk}/attendance.csv"),
        ("member", "/themes/"),
        ("member", "/themes/?sort=interest"),
        ("member", "/themes/?sort=presenters"),
        ("member", "/themes/new/"),
        ("member", f"/themes/{theme.pk}/"),
        ("visitor", "/guide/"),
        ("visitor", f"/guide/{chapter.slug}/"),
        ("member", f"/guide/{chapter.slug}/"),
        ("member", "/guide/mine/"),
        ("member", "/guide/contribute/"),
        ("member", f"/guide/contribute/?theme={theme.pk}"),
        ("member", f"/guide/contribute/?meeting={past.pk}"),
        ("member", "/guide/contribute/sources/?find_sources=partner"),
        ("author", f"/guide/mine/{_editable_contribution().pk}/edit/"),
        ("facilitator", "/admin/"),
        ("facilitator", "/admin/themes/theme/"),
        ("facilitator", "/admin/meetings/meeting/"),
        ("facilitator", "/admin/community/user/"),
        ("facilitator", "/admin/meetings/actionitem/"),
        ("facilitator", "/admin/community/buddypairing/"),
        ("editor", "/admin/guide/contribution/"),
        ("editor", "/admin/guide/chapter/"),
        ("editor", "/"),
        ("editor", f"/admin/guide/contribution/{waiting.pk}/change/"),
    ]


def _measure(clients, pages) -> dict:
    measured = {}
    for role, path in pages:
        client = clients[role]
        client.get(path)  # warm the session and the cached fragments
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        measured[(role, path)] = (len(queries), len(response.content) // 1024)
    return measured


def _clients() -> dict:
    User = get_user_model()
    clients = {"visitor": Client()}
    for role in ("member", "facilitator", "editor"):
        clients[role] = Client()
        clients[role].force_login(User.objects.get(email=f"{role}@example.org"))
    clients["author"] = Client()  # a member changing their own contribution
    clients["author"].force_login(_editable_contribution().author)
    return clients


def test_every_page_keeps_its_query_count_and_size_on_scaled_data():
    call_command("seed_demo", stdout=io.StringIO())
    clients = _clients()
    pages = _pages()
    small = _measure(clients, pages)

    seed_scale(stdout=io.StringIO(), targets=SCALED)
    assert get_user_model().objects.count() == SCALED.members
    same_pages = _measure(clients, pages)
    largest = _measure(clients, _pages())  # the crowded meeting, the big chapter...

    assert {page: (small[page][0], n) for page, (n, _kb) in same_pages.items() if n != small[page][0]} == {}
    over = {page: n for page, (n, _kb) in largest.items() if n > MAX_QUERIES and page[1] not in DOWNLOADS}
    assert over == {}
    assert {page: kb for page, (_n, kb) in largest.items() if kb > MAX_KB} == {}
