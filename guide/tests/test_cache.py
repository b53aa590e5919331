"""The visitors' cached guide pages: a reader never sees a stale entry after a change."""

import pytest
from django.test import Client

from community.tests.factories import UserFactory
from guide import services
from guide.cache import guide_version
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
    before = guide_version()
    author.save(update_fields=["last_login"])
    assert guide_version() == before

    author.display_name = "Ana Silva Costa"
    author.save(update_fields=["display_name"])

    assert "Ana Silva Costa" in _entries(visitor, "/guide/governance/")
    assert guide_version() > before
