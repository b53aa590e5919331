"""The cached guide pages (visitors' and members'): a reader never sees a stale entry after a change."""

import pytest
from django.test import Client

from community.tests.factories import UserFactory
from guide import services
from guide.cache import GUIDE
from guide.enums import ContributionState

from .factories import ChapterFactory, ContributionFactory

pytestmark = pytest.mark.django_db

S = ContributionState


@pytest.fixture
def visitor():
    return Client()


def _entries(client, path) -> str:
    return client.get(path).content.decode()


def test_an_entry_published_by_an_editor_shows_at_once(visitor, editor, django_capture_on_commit_callbacks):
    chapter = ChapterFactory(slug="governance", title="Governance")
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, title="Our steering committee")
    waiting = ContributionFactory(chapter=chapter, state=S.ACCEPTED, title="A charter signed by all")
    assert "A charter signed by all" not in _entries(visitor, "/guide/governance/")  # now cached
    assert "1 entry" in _entries(visitor, "/guide/")

    with django_capture_on_commit_callbacks(execute=True):
        services.contribution_transition(contribution=waiting, to=S.PUBLISHED, by=editor)

    page = _entries(visitor, "/guide/governance/")
    assert ("Our steering committee" in page, "A charter signed by all" in page) == (True, True)
    assert "2 entries" in _entries(visitor, "/guide/")


def test_an_edit_made_in_the_admin_and_an_unpublish_show_at_once(visitor, editor, django_capture_on_commit_callbacks):
    chapter = ChapterFactory(slug="governance")
    entry = ContributionFactory(chapter=chapter, state=S.PUBLISHED, title="Old title", body="Old text.")
    assert "Old text." in _entries(visitor, "/guide/governance/")

    # The admin's change form saves the model: the same path as this save.
    entry.title, entry.body = "New title", "New text."
    with django_capture_on_commit_callbacks(execute=True):
        entry.save()
    page = _entries(visitor, "/guide/governance/")
    assert ("New text." in page, "Old text." in page) == (True, False)

    with django_capture_on_commit_callbacks(execute=True):
        services.contribution_transition(contribution=entry, to=S.ACCEPTED, by=editor)
    assert "New title" not in _entries(visitor, "/guide/governance/")


def test_an_author_renamed_is_credited_by_the_new_name_and_a_sign_in_keeps_the_cache(visitor):
    author = UserFactory(display_name="Ana Silva")
    chapter = ChapterFactory(slug="governance")
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, author=author, title="Partners first")
    assert "Ana Silva" in _entries(visitor, "/guide/governance/")
    before = GUIDE.version()
    author.save(update_fields=["last_login"])
    assert GUIDE.version() == before

    author.display_name = "Ana Silva Costa"
    author.save(update_fields=["display_name"])

    assert "Ana Silva Costa" in _entries(visitor, "/guide/governance/")
    assert GUIDE.version() > before


def test_members_get_their_cached_page_with_the_sources_and_a_renamed_source_at_once(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from themes.models import Theme

    client.force_login(UserFactory())
    theme = Theme.objects.create(title="Shared desks", summary="How three centres share one desk.")
    chapter = ChapterFactory(slug="governance")
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, title="One desk", source_theme=theme)
    assert "Shared desks" in _entries(client, "/guide/governance/")
    assert "Shared desks" not in _entries(Client(), "/guide/governance/")  # visitors see no sources

    with CaptureQueriesContext(connection) as cached:
        client.get("/guide/governance/")
    assert not [q for q in cached.captured_queries if 'FROM "guide_contribution"' in q["sql"]]

    before = GUIDE.version()
    Theme.objects.filter(pk=theme.pk).update(interest_count=3)  # a count, not what the guide shows
    theme.refresh_from_db()
    theme.summary = "Another summary."
    theme.save()
    assert GUIDE.version() == before
    theme.title = "One desk, three centres"
    theme.save()

    assert "One desk, three centres" in _entries(client, "/guide/governance/")


def test_a_kept_chapter_page_costs_a_visitor_no_query_and_a_renamed_chapter_shows_at_once(visitor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    chapter = ChapterFactory(slug="governance", title="Governance")
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, title="Our steering committee")
    _entries(visitor, "/guide/governance/")

    with CaptureQueriesContext(connection) as kept:
        assert "Our steering committee" in _entries(visitor, "/guide/governance/")
    assert kept.captured_queries == []

    chapter.title = "Governance of the partnership"
    chapter.save()
    assert "Governance of the partnership" in _entries(visitor, "/guide/governance/")
    assert visitor.get("/guide/no-such-chapter/").status_code == 404
    assert visitor.get("/guide/no-such-chapter/").status_code == 404
