from celery import shared_task

from community.enums import NotificationKind
from community.notifications import send_to_users

# Limits of each step of a build (guide/pdf.py), measured at 10,040 entries on a loaded 2-core
# machine: a part of 200 entries took 11 s (29 s at most), the last step (the contents and the
# join) 226 s; the whole build 919 s over 57 tasks (README, Benchmarks).
BUILD_STEP_TIME_LIMIT = 600
BUILD_STEP_SOFT_TIME_LIMIT = 540
PDF_STEP = {"time_limit": BUILD_STEP_TIME_LIMIT, "soft_time_limit": BUILD_STEP_SOFT_TIME_LIMIT, "acks_late": True}


@shared_task(**PDF_STEP)
def build_guide_pdf(*, language: str) -> str:
    """Start a build of the guide's PDF in a language after a change, so that no reader waits for it."""
    from . import pdf, services

    try:
        return services.guide_pdf_build(language=language) or ""
    except pdf.PdfUnavailable:
        return ""


@shared_task(**PDF_STEP)
def build_guide_pdf_part(*, build_id: str, index: int) -> None:
    """One part of a build of the guide's PDF."""
    from . import services

    services.guide_pdf_build_part(build_id=build_id, index=index)


@shared_task(**PDF_STEP)
def finish_guide_pdf(*, build_id: str) -> str:
    """The last step of a build of the guide's PDF: the contents and the join."""
    from . import services

    edition = services.guide_pdf_build_finish(build_id=build_id)
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


@shared_task
def notify_editors_of_submission(*, transition_id: int) -> int:
    """Tell the guide editors that a contribution was submitted or resubmitted for review."""
    from community.enums import GUIDE_EDITORS_GROUP
    from community.models import User

    from .models import ContributionTransition

    step = (
        ContributionTransition.objects.select_related("contribution__author", "contribution__chapter", "by")
        .filter(pk=transition_id)
        .first()
    )
    if step is None:
        return 0
    editors = (
        User.objects.filter(groups__name=GUIDE_EDITORS_GROUP, is_active=True)
        .exclude(pk=step.by_id or 0)
        .distinct()
        .order_by("pk")
    )
    return send_to_users(
        users=editors,
        kind=NotificationKind.GUIDE_REVIEW,
        template="guide/email/submitted",
        context={"step": step, "contribution": step.contribution, "resubmitted": step.from_state != "draft"},
    )


@shared_task
def notify_coauthor_invited(*, coauthor_id: int) -> int:
    """Ask a member named as co-author whether they agree to be credited, and how."""
    from .models import CoAuthor

    coauthor = (
        CoAuthor.objects.select_related("member", "contribution__author", "contribution__chapter")
        .filter(pk=coauthor_id)
        .first()
    )
    if coauthor is None or coauthor.is_confirmed:
        return 0
    return send_to_users(
        users=[coauthor.member],
        kind=NotificationKind.GUIDE_UPDATES,
        template="guide/email/coauthor_invited",
        context={"coauthor": coauthor, "contribution": coauthor.contribution},
    )
