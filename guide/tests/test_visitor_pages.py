"""A visitor's guide pages kept whole (the table of contents, a chapter's near pages): the same for
every visitor of a language but the form token, which is each browser's own; a visitor with a
message waiting, a signed-in reader and an unusual address get the page rendered for them."""

import pytest
from django.core.management import call_command
from django.test import Client

from community.fragments import TOKEN_SLOT
from guide.cache import GUIDE
from guide.enums import ContributionState

from .factories import ChapterFactory, ContributionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chapter():
    chapter = ChapterFactory(slug="governance", title="Governance")
    ContributionFactory(chapter=chapter, state=ContributionState.PUBLISHED, title="Our steering committee")
    return chapter


def _rendered(response) -> bool:
    return bool(response.templates)


@pytest.mark.parametrize("path", ["/guide/", "/guide/governance/", "/guide/governance/?page=1&lang=fr"])
def test_every_visitor_gets_the_kept_page_with_a_form_token_that_works(chapter, path):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    assert _rendered(first.get(path))
    kept = second.get(path)
    assert not _rendered(kept)  # the whole page came from the cache
    page = kept.content.decode()
    assert "Our steering committee" in page or "1 entry" in page
    assert TOKEN_SLOT not in page
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    # The language switcher of the kept page posts with this browser's own token.
    switched = second.post("/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "fr", "next": path})
    assert switched.status_code == 302
    assert first.post("/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "fr"}).status_code == 403


def test_a_publish_shows_on_the_kept_page_at_once(chapter, editor, django_capture_on_commit_callbacks):
    from guide import services

    visitor = Client()
    visitor.get("/guide/governance/")
    waiting = ContributionFactory(chapter=chapter, state=ContributionState.ACCEPTED, title="A charter signed by all")
    assert "A charter signed by all" not in visitor.get("/guide/governance/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.contribution_transition(contribution=waiting, to=ContributionState.PUBLISHED, by=editor)
    assert "A charter signed by all" in visitor.get("/guide/governance/").content.decode()


def test_a_visitor_with_a_message_waiting_sees_it_once(chapter, member):
    Client().get("/guide/governance/")  # kept, with no message
    client = Client()
    client.force_login(member)
    client.post("/accounts/logout/")
    page = client.get("/guide/governance/")
    assert _rendered(page)
    assert "signed out" in page.content.decode()
    again = client.get("/guide/governance/")
    assert not _rendered(again)
    assert "signed out" not in again.content.decode()


def test_signed_in_readers_and_unusual_addresses_get_their_own_page(chapter, member):
    Client().get("/guide/governance/")
    client = Client()
    client.force_login(member)
    page = client.get("/guide/governance/")
    assert _rendered(page)
    assert member.display_name in page.content.decode()

    visitor = Client()
    for path in ("/guide/governance/?utm_source=mail", "/guide/governance/?page=101", "/guide/governance/?lang=xx"):
        visitor.get(path)
        assert _rendered(visitor.get(path)), path


def test_a_release_renews_every_kept_page(chapter):
    Client().get("/guide/")
    before = GUIDE.version()
    call_command("migrate", verbosity=0)
    assert GUIDE.version() > before
    assert _rendered(Client().get("/guide/"))
