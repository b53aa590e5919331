"""Listeners on account events; the work itself happens in tasks."""

from allauth.account.signals import email_confirmed
from django.db import transaction
from django.dispatch import receiver

from .enums import MemberState


@receiver(email_confirmed)
def tell_facilitators_about_a_new_sign_up(sender, request, email_address, **kwargs):
    from .tasks import notify_facilitators_of_signup

    user = email_address.user
    if user.state == MemberState.PENDING:
        transaction.on_commit(lambda: notify_facilitators_of_signup.delay(member_id=user.pk))
