"""Demo accounts and community data for ``seed_demo``. Idempotent: keyed on emails."""

from django.contrib.auth.models import Group
from django.utils import timezone

from .enums import FACILITATORS_GROUP, GUIDE_EDITORS_GROUP, MemberState
from .services import user_create

DEMO_PASSWORD = "keep-in-pact-demo"

DEMO_ACCOUNTS = [
    # email, display name, group, staff
    ("facilitator@example.org", "Fatou Diallo", FACILITATORS_GROUP, True),
    ("editor@example.org", "Étienne Marchand", GUIDE_EDITORS_GROUP, True),
    ("member@example.org", "Mariana Costa", None, False),
]


def ensure_member(*, email: str, display_name: str, password: str | None = None, **fields):
    """Return the account with this email, creating it approved if it does not exist."""
    from django.contrib.auth import get_user_model

    existing = get_user_model().objects.filter(email=email).first()
    if existing:
        return existing, False
    fields.setdefault("state", MemberState.APPROVED)
    fields.setdefault("state_changed_at", timezone.now())
    return user_create(email=email, display_name=display_name, password=password, **fields), True


def _verified_email(user) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


def seed_accounts(stdout) -> None:
    for email, name, group, staff in DEMO_ACCOUNTS:
        user, created = ensure_member(email=email, display_name=name, password=DEMO_PASSWORD, is_staff=staff)
        _verified_email(user)
        if group:
            user.groups.add(Group.objects.get(name=group))
        if created:
            stdout.write(f"  created demo account {email}")
