from celery import shared_task

from community.enums import NotificationKind
from community.notifications import send_to_users

# A build of the 10,000-entry guide takes about BUILD_MEASURED seconds on the benchmark machine
# (README, Benchmarks): the limits leave it twice that, and the soft limit lets it give the lock back.
BUILD_TIME_LIMIT = 900
BUILD_SOFT_TIME_LIMIT = 840


@shared_task(time_limit=BUILD_TIME_LIMIT, soft_time_limit=BUILD_SOFT_TIME_LIMIT, acks_late=True)
def build_guide_pdf(*, language: str) -> str:
    """Build the guide's PDF in a language after a change, so that no reader waits for it."""
    from . import pdf, services

    try:
        edition = services.guide_pdf_build(language=language)
    except pdf.PdfUnavailable:
        return ""
    return edition.fingerprint if edition else ""


@shared_task
def notify_author_of_transition(*, transition_id: int) -> int:
    """Tell the author what an editor did to their contribution, with the editor's comment."""
    from .models import ContributionTransition

    step = (
        ContributionTransition.objects.select_related("contribution__author", "contribution__chapter", "by")
        .filter(pk=transition_id)
        .first()
    )
    if step is None or step.contribution.author is None:
        return 0
    return send_to_users(
        users=[step.contribution.author],
        kind=NotificationKind.GUIDE_UPDATES,
        template="guide/email/transition",
        context={"step": step, "contribution": step.contribution},
    )
