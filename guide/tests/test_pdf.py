import io
import sys

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from community.tests.factories import UserFactory
from guide import pdf
from guide.enums import ContributionState, Credit
from guide.services import contribution_transition

from .factories import ChapterFactory, ContributionFactory

pytestmark = pytest.mark.django_db

S = ContributionState


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return _flat(" ".join(page.extract_text() for page in reader.pages))


def _flat(text: str) -> str:
    """Text as one line: the PDF wraps long titles."""
    return " ".join(text.split())


def test_pdf_contains_every_published_title_and_no_other(client):
    building = ChapterFactory(title="Building a partnership", order=1)
    governance = ChapterFactory(title="Governance", order=2)
    published = [
        ContributionFactory(chapter=building, state=S.PUBLISHED, title="Shared diagnosis of the territory"),
        ContributionFactory(chapter=governance, state=S.PUBLISHED, title="Rotating chairs among partners"),
    ]
    hidden = [
        ContributionFactory(chapter=governance, state=state, title=f"Unpublished {state} entry")
        for state in (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.ACCEPTED, S.REJECTED)
    ]

    response = client.get("/guide/guide.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = _text(response)
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 4  # title page, contents, two chapters
    assert "Guide for multi-partnership cooperation" in _flat(reader.pages[0].extract_text())
    for entry in published:
        assert text.count(entry.title) == 2  # in the contents and in its chapter
    for entry in hidden:
        assert entry.title not in text
    # Page numbers at the foot of the pages after the title page.
    assert "2 / " in reader.pages[1].extract_text()


def test_pdf_hides_the_name_of_anonymous_authors(client):
    chapter = ChapterFactory()
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, author=UserFactory(display_name="Rui Almeida"))
    ContributionFactory(
        chapter=chapter, state=S.PUBLISHED, author=UserFactory(display_name="Sofia Secreta"), credit=Credit.ANONYMOUS
    )

    text = _text(client.get("/guide/guide.pdf"))

    assert "Rui Almeida" in text
    assert "Sofia Secreta" not in text
    assert "a member of the network" in text


def test_pdf_is_built_once_and_rebuilt_when_the_guide_changes(client, editor):
    chapter = ChapterFactory()
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, title="First entry")
    first = client.get("/guide/guide.pdf")
    key = first["ETag"].strip('"')
    assert cache.get(pdf.CACHE_PREFIX + key) == first.content

    again = client.get("/guide/guide.pdf")
    assert again["ETag"] == first["ETag"]
    assert again.content == first.content

    entry = ContributionFactory(chapter=chapter, state=S.ACCEPTED, title="Second entry")
    contribution_transition(contribution=entry, to=S.PUBLISHED, by=editor)
    changed = client.get("/guide/guide.pdf")

    assert changed["ETag"] != first["ETag"]
    assert "Second entry" in _text(changed)


def test_pdf_answers_a_clear_503_where_weasyprint_cannot_load(client, monkeypatch):
    ContributionFactory(state=S.PUBLISHED)
    # A None entry in sys.modules makes ``import weasyprint`` fail like a missing package.
    monkeypatch.setitem(sys.modules, "weasyprint", None)

    response = client.get("/guide/guide.pdf")

    assert response.status_code == 503
    assert "The PDF of the guide is not available right now" in response.content.decode()


def test_empty_guide_still_gives_a_pdf(client):
    response = client.get("/guide/guide.pdf")
    assert response.status_code == 200
    assert "No entry is published yet." in _text(response)


def test_rebuild_task_leaves_the_current_pdf_in_the_cache(client):
    from guide.tasks import rebuild_guide_pdf

    ContributionFactory(state=S.PUBLISHED, title="Warm entry")

    key = rebuild_guide_pdf.delay().get()

    assert cache.get(pdf.CACHE_PREFIX + key).startswith(b"%PDF-")
    assert client.get("/guide/guide.pdf")["ETag"] == f'"{key}"'


def test_pdf_is_prebuilt_in_a_worker_only(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert pdf.prebuild_in_background() is False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert pdf.prebuild_in_background() is True
    settings.GUIDE_PDF_PREBUILD = False
    assert pdf.prebuild_in_background() is False
