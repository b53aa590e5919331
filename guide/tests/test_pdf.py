import io
import sys

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import transaction
from pypdf import PdfReader

from community.tests.factories import UserFactory
from guide import pdf, services
from guide.enums import ContributionState, Credit
from guide.models import GuideEdition
from guide.services import contribution_transition, member_data_erase
from guide.tasks import build_guide_pdf

from .factories import ChapterFactory, ContributionFactory

pytestmark = pytest.mark.django_db

S = ContributionState


@pytest.fixture
def builds_on_change(settings):
    """Publishing builds the PDF (inline here: the tests run the tasks eagerly)."""
    settings.GUIDE_PDF_PREBUILD = True


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _reader(response) -> PdfReader:
    return PdfReader(io.BytesIO(_body(response)))


def _flat(text: str) -> str:
    """Text as one line: the PDF wraps long titles."""
    return " ".join(text.split())


def _text(reader: PdfReader) -> str:
    return _flat(" ".join(page.extract_text() for page in reader.pages))


def _contents_lines(reader: PdfReader) -> list[str]:
    """The lines of the contents page as they look (a title, then its page number on the right)."""
    return [_flat(line) for line in reader.pages[1].extract_text(extraction_mode="layout").splitlines()]


def _a_build_is_waiting(language="en"):
    """What the cache holds while a build task waits in the queue for a worker."""
    cache.set(services.PDF_QUEUED.format(language), 1)


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
    assert response["Content-Disposition"] == 'inline; filename="guide-multi-partnership-cooperation.pdf"'
    reader = _reader(response)
    text = _text(reader)
    assert len(reader.pages) == 4  # title page, contents, two chapters
    assert "Guide for multi-partnership cooperation" in _flat(reader.pages[0].extract_text())
    for entry in published:
        assert text.count(entry.title) == 2  # in the contents and in its chapter
    for entry in hidden:
        assert entry.title not in text
    # The contents give each entry's page: the chapters are numbered from 1 across the joined
    # parts, the front matter apart (ii for the contents).
    contents = _contents_lines(reader)
    assert "Shared diagnosis of the territory 1" in contents
    assert "Rotating chairs among partners 2" in contents
    assert [_flat(page.extract_text()).split()[-1] for page in reader.pages[1:]] == ["ii", "1", "2"]


def test_contents_link_to_the_pages_of_the_entries(client):
    chapter = ChapterFactory(title="Building a partnership")
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, title="First entry", order=1)
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, title="Second entry", order=2)

    reader = _reader(client.get("/guide/guide.pdf"))

    targets = [
        reader.get_page_number(reader.get_object(annot["/Dest"][0]))
        for annot in (a.get_object() for a in reader.pages[1]["/Annots"])
    ]
    # The chapter and its two entries, all on the third page (index 2).
    assert targets == [2, 2, 2]


def test_long_chapter_is_laid_out_in_parts_and_numbered_across_them(client, monkeypatch):
    monkeypatch.setattr(pdf, "PART_SIZE", 2)
    chapter = ChapterFactory(title="Field examples")
    for n in range(1, 6):
        ContributionFactory(chapter=chapter, state=S.PUBLISHED, title=f"Example number {n}", order=n)

    build_id = services.guide_pdf_build(language="en")
    reader = _reader(client.get("/guide/guide.pdf"))

    # Title page, contents, then three parts of 2, 2 and 1 entries, each from a new page.
    assert len(reader.pages) == 5
    assert [_flat(page.extract_text()).split()[-1] for page in reader.pages[1:]] == ["ii", "1", "2", "3"]
    assert _flat(reader.pages[4].extract_text()).startswith("Example number 5")
    assert "Example number 5 3" in _contents_lines(reader)
    edition = GuideEdition.objects.get()
    assert (edition.page_count, edition.entry_count) == (5, 5)
    # The parts are deleted once joined, and the build's plan and lock are gone.
    assert [default_storage.exists(f"guide/pdf/parts/{build_id}/{n:05d}.pdf") for n in range(3)] == [False] * 3
    assert cache.get(services.PDF_PLAN.format(build_id)) is None
    assert cache.get(services.PDF_BUILDING.format("en")) is None


def test_pdf_hides_the_name_of_anonymous_authors(client):
    chapter = ChapterFactory()
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, author=UserFactory(display_name="Rui Almeida"))
    ContributionFactory(
        chapter=chapter, state=S.PUBLISHED, author=UserFactory(display_name="Sofia Secreta"), credit=Credit.ANONYMOUS
    )

    text = _text(_reader(client.get("/guide/guide.pdf")))

    assert "Rui Almeida" in text
    assert "Sofia Secreta" not in text
    assert "a member of the network" in text


def test_publishing_an_entry_queues_one_build(builds_on_change, editor, django_capture_on_commit_callbacks):
    entry = ContributionFactory(state=S.ACCEPTED, title="Freshly published")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        contribution_transition(contribution=entry, to=S.PUBLISHED, by=editor)

    assert [getattr(c, "guide_pdf", False) for c in callbacks].count(True) == 1
    edition = GuideEdition.objects.get()
    assert (edition.language, edition.entry_count, edition.page_count) == ("en", 1, 3)
    assert edition.fingerprint == pdf.guide_fingerprint(language="en")
    with default_storage.open(edition.file.name, "rb") as stored:
        assert stored.read(5) == b"%PDF-"
    assert edition.size == default_storage.size(edition.file.name)


def test_a_burst_of_publications_builds_once(builds_on_change, editor, django_capture_on_commit_callbacks):
    chapter = ChapterFactory()
    entries = [ContributionFactory(chapter=chapter, state=S.ACCEPTED, order=n + 1) for n in range(50)]

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for entry in entries:
            contribution_transition(contribution=entry, to=S.PUBLISHED, by=editor)

    assert [getattr(c, "guide_pdf", False) for c in callbacks].count(True) == 1
    assert list(GuideEdition.objects.values_list("entry_count", flat=True)) == [50]


def test_changes_while_a_build_waits_queue_no_other(builds_on_change, editor, django_capture_on_commit_callbacks):
    first, second = ContributionFactory(state=S.ACCEPTED), ContributionFactory(state=S.ACCEPTED)
    _a_build_is_waiting()

    with django_capture_on_commit_callbacks(execute=True):
        contribution_transition(contribution=first, to=S.PUBLISHED, by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        contribution_transition(contribution=second, to=S.PUBLISHED, by=editor)

    assert services.guide_pdf_request_build(language="en") is False
    assert GuideEdition.objects.count() == 0

    # The waiting task runs: one build, with both entries.
    build_guide_pdf.delay(language="en")
    assert list(GuideEdition.objects.values_list("entry_count", flat=True)) == [2]
    assert cache.get(services.PDF_QUEUED.format("en")) is None


def test_a_build_does_nothing_while_another_one_runs():
    ContributionFactory(state=S.PUBLISHED)
    cache.set(services.PDF_BUILDING.format("en"), "another build")

    assert services.guide_pdf_build(language="en") is None
    assert GuideEdition.objects.count() == 0
    assert cache.get(services.PDF_BUILDING.format("en")) == "another build"


def test_a_build_of_an_unchanged_guide_stores_nothing():
    ContributionFactory(state=S.PUBLISHED)
    services.guide_pdf_build(language="en")
    first = GuideEdition.objects.get()

    assert services.guide_pdf_build(language="en") is None
    assert list(GuideEdition.objects.values_list("pk", flat=True)) == [first.pk]
    assert cache.get(services.PDF_BUILDING.format("en")) is None


def test_pdf_is_served_with_its_etag_and_304_when_unchanged(client):
    ContributionFactory(state=S.PUBLISHED, title="First entry")
    first = client.get("/guide/guide.pdf")
    edition = GuideEdition.objects.get()
    assert first["ETag"] == f'"{edition.fingerprint}"'
    assert first["Cache-Control"] == "no-cache"
    with default_storage.open(edition.file.name, "rb") as stored:
        assert _body(first) == stored.read()

    again = client.get("/guide/guide.pdf", headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert GuideEdition.objects.count() == 1
    other = client.get("/guide/guide.pdf", headers={"if-none-match": '"an-older-edition"'})
    assert other.status_code == 200
    assert _body(other).startswith(b"%PDF-")


def test_visitor_is_told_the_pdf_is_being_prepared_before_the_first_build(client):
    ContributionFactory(state=S.PUBLISHED)
    _a_build_is_waiting()

    response = client.get("/guide/guide.pdf")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "The PDF of the guide is being prepared" in response.content.decode()
    assert GuideEdition.objects.count() == 0


def test_being_prepared_page_is_translated(client):
    _a_build_is_waiting("fr")

    response = client.get("/guide/guide.pdf", headers={"accept-language": "fr"})

    assert response.status_code == 503
    assert '<html lang="fr"' in response.content.decode()


def test_reader_gets_the_previous_file_until_the_new_build_is_done(client, editor):
    chapter = ChapterFactory()
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, title="First entry")
    first = client.get("/guide/guide.pdf")
    entry = ContributionFactory(chapter=chapter, state=S.ACCEPTED, title="Second entry")
    contribution_transition(contribution=entry, to=S.PUBLISHED, by=editor)
    _a_build_is_waiting()

    meanwhile = client.get("/guide/guide.pdf")
    assert meanwhile["ETag"] == first["ETag"]
    assert "Second entry" not in _text(_reader(meanwhile))

    build_guide_pdf.delay(language="en")
    changed = client.get("/guide/guide.pdf")

    assert changed["ETag"] == f'"{pdf.guide_fingerprint(language="en")}"'
    assert changed["ETag"] != first["ETag"]
    assert "Second entry" in _text(_reader(changed))


def test_outdated_pdf_is_rebuilt_by_the_next_reader_where_tasks_run_inline(
    client, editor, django_capture_on_commit_callbacks
):
    chapter = ChapterFactory()
    ContributionFactory(chapter=chapter, state=S.PUBLISHED, title="First entry")
    first = client.get("/guide/guide.pdf")
    entry = ContributionFactory(chapter=chapter, state=S.ACCEPTED, title="Second entry")
    with django_capture_on_commit_callbacks(execute=True):
        contribution_transition(contribution=entry, to=S.PUBLISHED, by=editor)
    # The publication forgot the fingerprint kept for readers; no build ran by itself.
    assert cache.get(pdf.FINGERPRINT_KEY.format("en")) is None
    assert GuideEdition.objects.count() == 1

    changed = client.get("/guide/guide.pdf")

    assert changed["ETag"] != first["ETag"]
    assert "Second entry" in _text(_reader(changed))
    assert GuideEdition.objects.count() == 2


def test_only_the_two_newest_files_are_kept(editor):
    chapter = ChapterFactory()
    editions = []
    for n in range(3):
        entry = ContributionFactory(chapter=chapter, state=S.ACCEPTED, title=f"Entry {n}")
        contribution_transition(contribution=entry, to=S.PUBLISHED, by=editor)
        services.guide_pdf_build(language="en")
        editions.append(GuideEdition.objects.first())
    names = [edition.file.name for edition in editions]

    assert [default_storage.exists(name) for name in names] == [False, True, True]
    assert list(GuideEdition.objects.order_by("pk").values_list("file", flat=True)) == ["", names[1], names[2]]


def test_pdf_view_runs_the_same_queries_at_1_and_10_entries(client, django_assert_num_queries):
    chapter = ChapterFactory()
    ContributionFactory(chapter=chapter, state=S.PUBLISHED)
    client.get("/guide/guide.pdf")
    with django_assert_num_queries(1):  # the newest edition (the fingerprint is in the cache)
        assert client.get("/guide/guide.pdf").status_code == 200

    for _ in range(9):
        ContributionFactory(chapter=chapter, state=S.PUBLISHED)
    services.guide_pdf_build(language="en")
    with django_assert_num_queries(1):
        assert client.get("/guide/guide.pdf").status_code == 200


def test_pdf_is_built_per_language_asked_for(client):
    ContributionFactory(state=S.PUBLISHED)

    english = client.get("/guide/guide.pdf")
    french = client.get("/guide/guide.pdf", headers={"accept-language": "fr"})

    assert sorted(GuideEdition.objects.values_list("language", flat=True)) == ["en", "fr"]
    assert english["ETag"] != french["ETag"]


def test_fingerprint_changes_with_what_readers_see_only(editor):
    chapter = ChapterFactory(title="Governance")
    entry = ContributionFactory(chapter=chapter, state=S.PUBLISHED)
    before = pdf.guide_fingerprint(language="en")

    ContributionFactory(chapter=chapter, state=S.DRAFT)
    assert pdf.guide_fingerprint(language="en") == before
    assert pdf.guide_fingerprint(language="fr") != before

    chapter.title = "Shared governance"
    chapter.save()
    renamed = pdf.guide_fingerprint(language="en")
    assert renamed != before

    contribution_transition(contribution=entry, to=S.ACCEPTED, by=editor)
    assert pdf.guide_fingerprint(language="en") not in (before, renamed)


def test_erasing_an_author_changes_the_fingerprint_and_queues_a_build(
    builds_on_change, django_capture_on_commit_callbacks
):
    author = UserFactory(display_name="Leaving Member")
    ContributionFactory(state=S.PUBLISHED, author=author)
    services.guide_pdf_build(language="en")
    before = pdf.guide_fingerprint(language="en")

    with django_capture_on_commit_callbacks(execute=True):
        member_data_erase(member=author)

    assert pdf.guide_fingerprint(language="en") != before
    newest = GuideEdition.objects.first()
    assert newest.fingerprint == pdf.guide_fingerprint(language="en")
    with default_storage.open(newest.file.name, "rb") as stored:
        text = _text(PdfReader(io.BytesIO(stored.read())))
    assert "Leaving Member" not in text
    assert "a member of the network" in text


def test_pdf_answers_a_clear_503_where_weasyprint_cannot_load(client, monkeypatch):
    ContributionFactory(state=S.PUBLISHED)
    # A None entry in sys.modules makes ``import weasyprint`` fail like a missing package.
    monkeypatch.setitem(sys.modules, "weasyprint", None)

    response = client.get("/guide/guide.pdf")

    assert response.status_code == 503
    assert "The PDF of the guide is not available right now" in response.content.decode()
    assert GuideEdition.objects.count() == 0
    # No build is tried again for a while.
    assert services.guide_pdf_request_build(language="en") is False


def test_empty_guide_still_gives_a_pdf(client):
    response = client.get("/guide/guide.pdf")
    assert response.status_code == 200
    assert "No entry is published yet." in _text(_reader(response))


def test_pdf_is_built_on_change_in_a_worker_only(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert services.pdf_builds_on_change() is False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert services.pdf_builds_on_change() is True
    settings.GUIDE_PDF_PREBUILD = False
    assert services.pdf_builds_on_change() is False
