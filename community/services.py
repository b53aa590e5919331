"""Writes on members that have rules or side effects."""

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from .enums import MemberState


def username_from(name: str, *, exclude_pk: int | None = None) -> str:
    """A unique, URL-friendly handle derived from a display name (``maria-silva-2``)."""
    User = get_user_model()
    base = slugify(name)[:40] or "member"
    candidate, n = base, 1
    taken = User.objects.filter(username__startswith=base)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    existing = set(taken.values_list("username", flat=True))
    while candidate in existing:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def user_create(
    *,
    email: str,
    display_name: str,
    password: str | None = None,
    state: str = MemberState.PENDING,
    **fields,
):
    """Create an account outside the sign-up form (demo data, admin tools, tests)."""
    User = get_user_model()
    user = User(
        email=email.lower(),
        display_name=display_name,
        username=fields.pop("username", None) or username_from(display_name),
        state=state,
        **fields,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user
