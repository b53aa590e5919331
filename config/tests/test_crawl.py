"""Every page a person can reach by following links answers without a server error.

The demo data is loaded once, then each role walks the site from its entry points, following
the links of every HTML page (a few of each URL shape), as a visitor, a pending member, a
member, a facilitator and a guide editor would.
"""

import io
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from community.enums import MemberState
from community.models import User

pytestmark = pytest.mark.django_db

ENTRY_POINTS = [
    "/",
    "/members/",
    "/meetings/",
    "/meetings/resources/",
    "/themes/",
    "/guide/",
    "/guide/mine/",
    "/search/?q=partner",
    "/privacy/",
]
# Staff (the demo facilitator and editor) also walk the admin.
# Links that would change state on GET in no well-built page, but are not worth walking.
SKIPPED_PREFIXES = ("/static/", "/media/", "/accounts/logout/", "/i18n/", "/guide/guide.pdf", "/admin/logout/")
PER_SHAPE = 3
MAX_PAGES = 500


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(path).path)


def _walk(client: Client, *, staff: bool) -> tuple[list[tuple[str, int]], int]:
    queue = deque([*ENTRY_POINTS, *(["/admin/"] if staff else [])])
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    errors = []
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 500:
            errors.append((url, response.status_code))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            href = urldefrag(href)[0]
            if not href.startswith("/") or href.startswith("//") or href.startswith(SKIPPED_PREFIXES):
                continue
            if href.startswith("/admin/") and not staff:
                continue
            shape = _shape(href)
            if href not in seen and shapes.get(shape, 0) < PER_SHAPE:
                shapes[shape] = shapes.get(shape, 0) + 1
                queue.append(href)
    return errors, len(seen)


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_no_page_reachable_by_links_answers_a_server_error_for_any_role(demo):
    people = {
        "visitor": None,
        "pending": User.objects.filter(state=MemberState.PENDING).order_by("pk").first(),
        "member": User.objects.get(email="member@example.org"),
        "facilitator": User.objects.get(email="facilitator@example.org"),
        "editor": User.objects.get(email="editor@example.org"),
        # The same walk in each other language: a translation that breaks a placeholder or a
        # template would fail here.
        "facilitator in French": User.objects.get(email="facilitator@example.org"),
        "facilitator in Portuguese": User.objects.get(email="facilitator@example.org"),
        "editor in Spanish": User.objects.get(email="editor@example.org"),
    }
    cookies = {"in French": "fr", "in Portuguese": "pt", "in Spanish": "es"}
    report = {}
    for role, user in people.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for suffix, language in cookies.items():
            if role.endswith(suffix):
                client.cookies["django_language"] = language
        errors, visited = _walk(client, staff=bool(user and user.is_staff))
        report[role] = errors
        # A walk that reaches almost nothing would prove nothing.
        assert visited >= (5 if role in ("visitor", "pending") else 40), (role, visited)

    assert report == {role: [] for role in people}
