"""The guide's PDF built by a real Celery worker through the real Redis broker (not eager mode).

The worker runs in this process (threads pool); the tests commit for real (``transaction=True``)
so that its threads see the rows.
"""

import io
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import transaction
from pypdf import PdfReader

from config.celery import app
from guide import pdf, services
from guide.enums import ContributionState
from guide.models import GuideEdition
from guide.services import contribution_transition

from .factories import ChapterFactory, ContributionFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

S = ContributionState


@pytest.fixture(scope="module")
def worker():
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.control.purge()
    try:
        with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=60):
            yield
    finally:
        app.conf.task_always_eager = eager


@pytest.fixture
def builds_on_change(settings):
    settings.GUIDE_PDF_PREBUILD = True


def wait_for(condition, timeout=90.0, step=0.01):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("The worker did not finish in time.")
        time.sleep(step)


def idle() -> bool:
    return cache.get(services.PDF_BUILDING.format("en")) is None and cache.get(services.PDF_QUEUED.format("en")) is None


def stored_text(edition) -> str:
    with default_storage.open(edition.file.name, "rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_publication_is_built_and_stored_by_the_worker(worker, builds_on_change, editor):
    entry = ContributionFactory(state=S.ACCEPTED, title="Built by the worker")

    contribution_transition(contribution=entry, to=S.PUBLISHED, by=editor)
    wait_for(lambda: GuideEdition.objects.exists() and idle())

    edition = GuideEdition.objects.get()
    assert (edition.language, edition.entry_count) == ("en", 1)
    assert edition.fingerprint == pdf.guide_fingerprint(language="en")
    assert "Built by the worker" in stored_text(edition)


def test_a_change_during_a_build_gives_one_more_build_after_it(worker, builds_on_change, editor):
    chapter = ChapterFactory()
    # Enough entries for the first build to take a while.
    first = [ContributionFactory(chapter=chapter, state=S.ACCEPTED, order=n + 1) for n in range(80)]
    late = ContributionFactory(chapter=chapter, state=S.ACCEPTED, title="Published during the build", order=99)

    with transaction.atomic():
        for entry in first:
            contribution_transition(contribution=entry, to=S.PUBLISHED, by=editor)
    wait_for(lambda: cache.get(services.PDF_BUILDING.format("en")) is not None)
    contribution_transition(contribution=late, to=S.PUBLISHED, by=editor)
    still_building = cache.get(services.PDF_BUILDING.format("en")) is not None
    wait_for(lambda: GuideEdition.objects.count() == 2 and idle())
    time.sleep(0.5)  # nothing else follows

    assert still_building
    editions = list(GuideEdition.objects.order_by("pk"))
    assert [edition.entry_count for edition in editions] == [80, 81]
    assert editions[1].fingerprint == pdf.guide_fingerprint(language="en")
    assert "Published during the build" in stored_text(editions[1])
    assert GuideEdition.objects.count() == 2
