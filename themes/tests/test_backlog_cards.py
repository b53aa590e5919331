"""The backlog's cards are kept rendered, and each change a card shows is seen at once."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.tests.factories import UserFactory
from themes import services
from themes.enums import ThemeState
from themes.tests.factories import MeetingFactory, ThemeFactory, presenter

pytestmark = pytest.mark.django_db

URL = reverse("themes:list")


def _backlog(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def _cards(page: str) -> str:
    """The cards' bodies of a backlog page (its form tokens differ from one response to the next)."""
    return "".join(re.findall(r'<div class="card-body">.*?<div class="card-footer', page, flags=re.S))


def test_a_second_view_reads_the_kept_cards_without_their_details(viewer):
    theme = ThemeFactory(title="Gamified speed networking")
    theme.topics.set(["Partnerships"])
    presenter(theme, UserFactory(display_name="Rui Almeida"))
    _backlog(viewer)

    with CaptureQueriesContext(connection) as kept:
        page = _backlog(viewer)
    cache.clear()
    with CaptureQueriesContext(connection) as rendered:
        fresh = _backlog(viewer)

    assert _cards(fresh) == _cards(page)
    assert "Rui Almeida" in _cards(page) and "Partnerships" in _cards(page)
    assert len(kept.captured_queries) + 2 <= len(rendered.captured_queries) <= 15
    assert not any("themes_presenterrole" in q["sql"] for q in kept.captured_queries)


def test_the_rendering_keeps_its_queries_as_themes_grow(viewer):
    def rendered_queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            _backlog(viewer)
        return len(context.captured_queries)

    ThemeFactory().topics.set(["Events"])
    one = rendered_queries()
    for n in range(9):
        theme = ThemeFactory(title=f"Theme {n}")
        theme.topics.set(["Events", f"Topic {n}"])
        presenter(theme, UserFactory())
    assert rendered_queries() == one <= 15


def test_an_edit_a_topic_and_a_new_presenter_show_at_once(viewer):
    theme = ThemeFactory(title="Gamified speed networking", proposer=viewer.member)
    _backlog(viewer)

    services.theme_update(
        theme=theme,
        by=viewer.member,
        title="Speed networking with a bell",
        summary="Six rounds.",
        reason=theme.reason,
        topics=["Events"],
    )
    services.presenter_volunteer(theme=theme, member=UserFactory(display_name="Bruno Costa"), pitch="We did it.")

    page = _backlog(viewer)
    assert "Speed networking with a bell" in page and "Events" in page and "Bruno Costa" in page


def test_a_renamed_presenter_and_a_moved_meeting_show_at_once(viewer):
    meeting = MeetingFactory(title="Spring meeting")
    theme = ThemeFactory(title="Gamified speed networking", state=ThemeState.SCHEDULED, meeting=meeting)
    rui = UserFactory(display_name="Rui Almeida")
    presenter(theme, rui)
    assert "Rui Almeida" in _backlog(viewer)

    rui.display_name = "Rui A. Almeida"
    rui.save()
    meeting.title = "Spring meeting in Porto"
    meeting.save()

    page = _backlog(viewer)
    assert "Rui A. Almeida" in page and "Spring meeting in Porto" in page


def test_interest_keeps_the_cards_and_its_count_is_current(viewer):
    theme = ThemeFactory(title="Gamified speed networking")
    _backlog(viewer)
    from themes.receivers import CARDS

    before = CARDS.version()
    services.theme_set_interest(theme=theme, member=UserFactory(), interested=True)
    services.theme_set_interest(theme=theme, member=viewer.member, interested=True)

    page = _backlog(viewer)
    assert CARDS.version() == before
    assert "2 interested" in page and 'aria-pressed="true"' in page


def test_the_listing_is_kept_and_each_member_sees_their_own_interest(viewer):
    theme = ThemeFactory(title="Gamified speed networking")
    other = Client()
    other.force_login(UserFactory(display_name="Other Member"))
    services.theme_set_interest(theme=theme, member=viewer.member, interested=True)
    _backlog(viewer)

    with CaptureQueriesContext(connection) as kept:
        mine = _backlog(viewer)
    # The viewer's own page is kept: the session's user and groups only.
    assert len(kept.captured_queries) == 2
    with CaptureQueriesContext(connection) as listed:
        theirs = other.get(URL).content.decode()
    # Another member's first view reads the kept listing, then their interest in its themes.
    assert len(listed.captured_queries) == 3
    assert not any("COUNT(*)" in q["sql"] or "themes_themetopic" in q["sql"] for q in listed.captured_queries)
    assert 'aria-pressed="true"' in mine and 'aria-pressed="true"' not in theirs
    assert "1 interested" in mine and "1 interested" in theirs
    assert mine.count(f'name="next" value="{URL}"') == 1


def test_a_new_theme_and_a_withdrawn_one_show_at_once(viewer):
    kept = ThemeFactory(title="Gamified speed networking", proposer=viewer.member)
    assert "1 theme" in _backlog(viewer)

    new = services.theme_propose(
        proposer=viewer.member,
        title="Mentoring across centres",
        summary="Pairs.",
        reason=kept.reason,
        topics=[],
        can_present=False,
        pitch="",
        language="en",
    )
    page = _backlog(viewer)
    assert "Mentoring across centres" in page and "2 themes" in page

    services.theme_transition(theme=new, to=ThemeState.WITHDRAWN, by=viewer.member, note="")
    page = _backlog(viewer)
    assert "Mentoring across centres" not in page and "1 theme" in page


def test_a_sort_on_counts_follows_them_at_once(viewer):
    first = ThemeFactory(title="First theme")
    ThemeFactory(title="Second theme")
    by_interest = viewer.get(URL, {"sort": "interest"}).content.decode()
    assert by_interest.index("Second theme") < by_interest.index("First theme")

    services.theme_set_interest(theme=first, member=UserFactory(), interested=True)

    by_interest = viewer.get(URL, {"sort": "interest"}).content.decode()
    assert by_interest.index("First theme") < by_interest.index("Second theme")
