"""Background work of the community app: emails about membership."""

from celery import shared_task
from django.contrib.auth import get_user_model

from .enums import NotificationKind
from .notifications import send_to_users


@shared_task
def send_membership_email(*, member_id: int, state: str, message: str = "") -> int:
    """Tell a member their membership changed (approved, declined, suspended), in their language."""
    member = get_user_model().objects.filter(pk=member_id).first()
    if member is None:
        return 0
    return send_to_users(
        users=[member],
        kind=NotificationKind.ACCOUNT,
        template="community/email/membership",
        context={"member": member, "state": state, "message": message},
    )


@shared_task
def notify_facilitators_of_signup(*, member_id: int) -> int:
    """Tell the facilitators that someone confirmed their email and waits for approval."""
    from django.db.models import Q

    from .enums import FACILITATORS_GROUP, MemberState

    User = get_user_model()
    member = User.objects.filter(pk=member_id, state=MemberState.PENDING).first()
    if member is None:
        return 0
    facilitators = (
        User.objects.filter(is_active=True).filter(Q(groups__name=FACILITATORS_GROUP) | Q(is_superuser=True)).distinct()
    )
    return send_to_users(
        users=list(facilitators),
        kind=NotificationKind.ACCOUNT,
        template="community/email/new_signup",
        context={"member": member},
    )
