"""Background work of the community app: emails about membership."""

from celery import shared_task
from django.contrib.auth import get_user_model

from .enums import NotificationKind
from .notifications import send_to_users


@shared_task
def send_membership_email(*, member_id: int, state: str, message: str = "") -> int:
    """Tell a member their membership changed (approved, declined, suspended), in their language."""
    from . import slots
    from .enums import MemberState

    member = get_user_model().objects.filter(pk=member_id).first()
    if member is None:
        return 0
    # Approved: point to the guide's onboarding chapter, when the guide has it.
    onboarding_path = slots.onboarding_chapter_path() if state == MemberState.APPROVED else None
    return send_to_users(
        users=[member],
        kind=NotificationKind.ACCOUNT,
        template="community/email/membership",
        context={"member": member, "state": state, "message": message, "onboarding_path": onboarding_path},
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


@shared_task
def send_buddy_introductions(*, pairing_id: int) -> int:
    """Introduce a newcomer and their buddy to each other, each in their own language, once per pairing."""
    from .models import BuddyPairing
    from .services import buddy_introduction_claim

    pairing = (
        BuddyPairing.objects.select_related("newcomer__organisation", "buddy__organisation")
        .filter(pk=pairing_id)
        .first()
    )
    if pairing is None or not buddy_introduction_claim(pairing_id=pairing.pk):
        return 0
    sent = send_to_users(
        users=[pairing.newcomer],
        kind=NotificationKind.ACCOUNT,
        template="community/email/buddy_newcomer",
        context={"newcomer": pairing.newcomer, "buddy": pairing.buddy},
    )
    return sent + send_to_users(
        users=[pairing.buddy],
        kind=NotificationKind.ACCOUNT,
        template="community/email/buddy_buddy",
        context={"newcomer": pairing.newcomer, "buddy": pairing.buddy},
    )
