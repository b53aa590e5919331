from celery import shared_task

from community.enums import NotificationKind
from community.notifications import send_to_users


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
