from celery import shared_task

from community.enums import NotificationKind
from community.notifications import send_to_users


@shared_task
def rebuild_guide_pdf() -> str:
    """Build the PDF of the guide after a change, so that no reader waits for it."""
    from django.conf import settings

    from . import pdf

    try:
        _data, key = pdf.guide_pdf(base_url=settings.SITE_URL + "/")
    except pdf.PdfUnavailable:
        return ""
    return key


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
