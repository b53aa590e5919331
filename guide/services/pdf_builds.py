"""Building the guide's PDF in the background, one language at a time."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .. import pdf, selectors
from ..models import GuideEdition
from ..tasks import BUILD_STEP_TIME_LIMIT, build_guide_pdf, build_guide_pdf_part, finish_guide_pdf

logger = logging.getLogger(__name__)

# The PDF of the guide. A build is asked for when the guide changes, and when a reader finds
# no PDF or an outdated one; it runs in a worker. Two markers in the cache (Redis in production)
# keep it to one build at a time per language, whatever the number of changes:
# - "queued": a build is waiting. Further changes add nothing: a burst of publications gives
#   one build. The build clears it when it starts, so that a change during the build asks for
#   one more build, run when the first one ends.
# - "building": a build is running (a lock, released at its end or after the task's hard limit).
PDF_QUEUED = "guide:pdf:queued:{}"
PDF_BUILDING = "guide:pdf:building:{}"
# The plan of a running build, handed from one of its tasks to the next.
PDF_PLAN = "guide:pdf:plan:{}"
PDF_PLAN_SECONDS = 6 * 60 * 60
# A step lost with its worker frees the lock after this long.
PDF_LOCK_SECONDS = BUILD_STEP_TIME_LIMIT + 60
# Set when the PDF engine cannot load: readers get a clear page, and no build is retried for a while.
PDF_UNAVAILABLE = "guide:pdf:unavailable:{}"
PDF_UNAVAILABLE_SECONDS = 5 * 60
# Editions whose files are kept per language: the new one and the one readers may be downloading.
EDITIONS_KEPT = 2


def pdf_builds_on_change() -> bool:
    """Whether a change of the guide builds its PDF at once (not where tasks run inline, in the
    request: there the first reader after a change has it built)."""
    return getattr(settings, "GUIDE_PDF_PREBUILD", not settings.CELERY_TASK_ALWAYS_EAGER)


def guide_pdf_request_build(*, language: str) -> bool:
    """Queue a build of the guide's PDF in ``language``, unless one is already waiting.

    Returns whether a task was queued. Nothing is queued while the PDF engine is known to be
    missing (``PDF_UNAVAILABLE``).
    """
    if cache.get(PDF_UNAVAILABLE.format(language)):
        return False
    # A lost task (a worker killed) must not block the builds for ever: the marker expires.
    if not cache.add(PDF_QUEUED.format(language), 1, timeout=PDF_LOCK_SECONDS):
        return False
    build_guide_pdf.delay(language=language)
    return True


def _queue_pdf_builds() -> None:
    pdf.forget_fingerprints()
    if not pdf_builds_on_change():
        return
    for language in selectors.guide_edition_languages() or [settings.LANGUAGE_CODE]:
        guide_pdf_request_build(language=language)


_queue_pdf_builds.guide_pdf = True


def guide_changed() -> None:
    """Something readers see in the PDF changed: after the commit, forget the cached
    fingerprints and queue one build per language asked for so far (the default language
    before any).

    Called inside the transaction of the change; many changes in one transaction (an admin
    action on fifty entries) register one callback.
    """
    connection = transaction.get_connection()
    # Entries are (savepoint ids, callback, robust); a rolled-back savepoint takes its own with it.
    if any(getattr(callback, "guide_pdf", False) for _ids, callback, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_queue_pdf_builds)


def guide_pdf_build(*, language: str) -> str | None:
    """Start a build of the guide's PDF in ``language``: its plan, then one task per part.

    Does nothing when another build of this language is running (that one runs one more after
    itself, see ``guide_pdf_build_finish``) or when the newest edition already has the guide's
    fingerprint. Returns the build's id, or None. The build holds the "building" lock until its
    last step; each step renews it, so a step lost with its worker frees it after a step's limit.
    Raises ``pdf.PdfUnavailable`` (remembered for ``PDF_UNAVAILABLE_SECONDS``) when the PDF
    engine cannot load.
    """
    build_id = uuid.uuid4().hex
    if not cache.add(PDF_BUILDING.format(language), build_id, timeout=PDF_LOCK_SECONDS):
        return None
    try:
        cache.delete(PDF_QUEUED.format(language))
        fingerprint = pdf.guide_fingerprint(language=language)
        # Readers compare with what the build sees.
        cache.set(pdf.FINGERPRINT_KEY.format(language), fingerprint, pdf.FINGERPRINT_SECONDS)
        current = selectors.current_guide_edition(language=language)
        if current is not None and current.fingerprint == fingerprint:
            _release(language, build_id)
            return None
        try:
            pdf.load_engine()
        except pdf.PdfUnavailable:
            cache.set(PDF_UNAVAILABLE.format(language), 1, timeout=PDF_UNAVAILABLE_SECONDS)
            raise
        cache.delete(PDF_UNAVAILABLE.format(language))
        plan = pdf.plan_build(language=language, fingerprint=fingerprint)
        cache.set(PDF_PLAN.format(build_id), plan, timeout=PDF_PLAN_SECONDS)
    except BaseException:
        _release(language, build_id)
        raise
    _next_step(build_id, plan, index=0)
    return build_id


def _next_step(build_id: str, plan: dict, *, index: int) -> None:
    if index < len(plan["parts"]):
        build_guide_pdf_part.delay(build_id=build_id, index=index)
    else:
        finish_guide_pdf.delay(build_id=build_id)


def _release(language: str, build_id: str) -> None:
    if cache.get(PDF_BUILDING.format(language)) == build_id:
        cache.delete(PDF_BUILDING.format(language))


def _load_plan(build_id: str) -> dict | None:
    plan = cache.get(PDF_PLAN.format(build_id))
    if plan is not None:
        # Still this build's lock: renew it for this step.
        cache.set(PDF_BUILDING.format(plan["language"]), build_id, timeout=PDF_LOCK_SECONDS)
    return plan


def _abandon(build_id: str, plan: dict) -> None:
    """A step failed: its parts are deleted and the lock freed (the next reader asks again)."""
    for name in plan["files"]:
        default_storage.delete(name)
    cache.delete(PDF_PLAN.format(build_id))
    _release(plan["language"], build_id)


def guide_pdf_build_part(*, build_id: str, index: int) -> None:
    """Lay out one part of a build and store it, then queue the next step.

    Returns quietly when the build's plan is gone (expired with a lost worker).
    """
    plan = _load_plan(build_id)
    if plan is None:
        return
    try:
        name = f"guide/pdf/parts/{build_id}/{index:05d}.pdf"
        pdf.render_part(plan, index=index, storage=default_storage, name=name)
        cache.set(PDF_PLAN.format(build_id), plan, timeout=PDF_PLAN_SECONDS)
    except BaseException:
        _abandon(build_id, plan)
        raise
    _next_step(build_id, plan, index=index + 1)


def guide_pdf_build_finish(*, build_id: str) -> GuideEdition | None:
    """Join the parts of a build into the new ``GuideEdition`` and end the build.

    Side effects: the file written to the default storage; the parts and the files of older
    editions beyond ``EDITIONS_KEPT`` deleted; the lock freed; when the guide changed during
    the build, one more build queued.
    """
    plan = _load_plan(build_id)
    if plan is None:
        return None
    language = plan["language"]
    try:
        rendered = pdf.join_parts(plan, storage=default_storage)
        edition = GuideEdition(
            language=language,
            fingerprint=plan["fingerprint"],
            size=len(rendered.data),
            page_count=rendered.page_count,
            entry_count=rendered.entry_count,
            duration=round(rendered.seconds, 3),
            built_at=timezone.now(),
        )
        edition.file.save(f"guide-{plan['fingerprint']}.pdf", ContentFile(rendered.data), save=False)
        edition.save()
    finally:
        _abandon(build_id, plan)
    logger.info(
        "guide PDF built: %s, %s entries, %s pages, %.1f s",
        language,
        rendered.entry_count,
        rendered.page_count,
        rendered.seconds,
    )
    for old in GuideEdition.objects.filter(language=language).exclude(file="")[EDITIONS_KEPT:]:
        old.file.delete(save=False)
        old.save(update_fields=["file"])
    if cache.get(PDF_QUEUED.format(language)):
        # A change arrived while this build ran and its task found the lock taken: build once more.
        cache.delete(PDF_QUEUED.format(language))
        guide_pdf_request_build(language=language)
    return edition


def guide_pdf_engine_missing(*, language: str) -> bool:
    """Whether the last build in ``language`` failed because the PDF engine cannot load."""
    return bool(cache.get(PDF_UNAVAILABLE.format(language)))
