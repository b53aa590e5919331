"""Every page of the URL contract, on the demo data and on a scaled copy of it: the same number
of queries, at most 15, and a size that does not follow the data.

The scaled copy is built by the benchmark's own filler (bench/seed_scale.py) with smaller but
proportionate targets, in bulk writes.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.seed_scale import Targets, seed_scale
from guide.models import Chapter
from meetings.models import Meeting
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


def _pages() -> list[tuple[str, str]]:
    """(role, path) for each page, on the objects with the most rows."""
    User = get_user_model()
    crowded = Meeting.objects.annotate(n=Count("rsvps")).order_by("-n", "pk").first()
    past = Meeting.objects.filter(minutes_published_at__isnull=False).order_by("-starts_at").first()
    theme = Theme.objects.annotate(n=Count("interests")).order_by("-n", "pk").first()
    chapter = Chapter.objects.annotate(n=Count("contributions")).order_by("-n", "pk").first()
    member = User.objects.get(email="member@example.org")
    return [
        ("visitor", "/"),
        ("member", "/"),
        ("member", "/members/"),
        ("member", "/members/?country=PT"),
        ("member", f"/members/{member.username}/"),
        ("facilitator", "/members/pending/"),
        ("member", "/meetings/"),
        ("member", f"/meetings/{crowded.pk}/"),
        ("facilitator", f"/meetings/{crowded.pk}/"),
        ("facilitator", f"/meetings/{past.pk}/"),
        ("facilitator", f"/meetings/{crowded.pk}/attendance/"),
        ("facilitator", f"/meetings/{crowded.pk}/agenda/"),
        ("facilitator", f"/meetings/{crowded.pk}/answers/"),
        ("facilitator", f"/meetings/{crowded.pk}/networking/"),
        ("member", "/themes/"),
        ("member", "/themes/?sort=interest"),
        ("member", "/themes/?sort=presenters"),
        ("member", f"/themes/{theme.pk}/"),
        ("visitor", "/guide/"),
        ("visitor", f"/guide/{chapter.slug}/"),
        ("member", f"/guide/{chapter.slug}/"),
        ("member", "/guide/mine/"),
        ("facilitator", "/admin/themes/theme/"),
        ("facilitator", "/admin/meetings/meeting/"),
        ("editor", "/admin/guide/contribution/"),
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
    assert {page: n for page, (n, _kb) in largest.items() if n > MAX_QUERIES} == {}
    assert {page: kb for page, (_n, kb) in largest.items() if kb > MAX_KB} == {}
