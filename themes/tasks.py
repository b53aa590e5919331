"""Emails about themes, sent by Celery after the change is committed."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from community.enums import NotificationKind
from community.notifications import send_to_users

from . import selectors
from .models import PresenterRole, ThemeTransition


@shared_task
def notify_theme_transition(*, transition_id: int) -> int:
    """Tell the proposer, presenters and interested members that a theme changed state."""
    transition = (
        ThemeTransition.objects.select_related("theme", "theme__proposer", "by", "meeting")
        .filter(pk=transition_id)
        .first()
    )
    if transition is None:
        return 0
    theme = transition.theme
    return send_to_users(
        users=selectors.theme_followers(theme=theme, exclude=transition.by),
        kind=NotificationKind.THEME_UPDATES,
        template="themes/email/theme_transition",
        context={
            "theme": theme,
            "transition": transition,
            "theme_url": settings.SITE_URL + reverse("themes:detail", args=[theme.pk]),
        },
    )


@shared_task
def notify_presenter_invitation(*, role_id: int) -> int:
    """Tell a member that a presenter invites them to co-present a theme."""
    role = PresenterRole.objects.select_related("theme", "member", "invited_by").filter(pk=role_id).first()
    if role is None or role.member is None:
        return 0
    return send_to_users(
        users=[role.member],
        kind=NotificationKind.THEME_UPDATES,
        template="themes/email/presenter_invitation",
        context={
            "theme": role.theme,
            "role": role,
            "theme_url": settings.SITE_URL + reverse("themes:detail", args=[role.theme_id]),
        },
    )
