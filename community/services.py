"""Writes on members that have rules or side effects."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import audit, slots
from .enums import DIGEST_FREQUENCIES, DIGEST_TOPICS, AuditKind, MemberState, NotificationFrequency
from .fragments import MEMBER_PAGES
from .models import MemberLanguage, Organisation
from .receivers import DIRECTORY

# Paths under /members/ that a username must not shadow.
RESERVED_USERNAMES = frozenset({"me", "pending", "waiting", "centres", "edit", "export", "delete", "audit"})


def username_from(name: str, *, exclude_pk: int | None = None) -> str:
    """A unique, URL-friendly handle derived from a display name (``maria-silva-2``)."""
    User = get_user_model()
    base = slugify(name)[:40] or "member"
    candidate, n = base, 1
    taken = User.objects.filter(username__startswith=base)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    existing = set(taken.values_list("username", flat=True)) | RESERVED_USERNAMES
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


# --- Membership: the one state machine of an account -------------------------------------

# Every allowed move, from -> to. Nothing else changes ``User.state``.
MEMBERSHIP_MOVES: dict[str, frozenset[str]] = {
    MemberState.PENDING: frozenset({MemberState.APPROVED, MemberState.DECLINED}),
    MemberState.APPROVED: frozenset({MemberState.SUSPENDED}),
    MemberState.SUSPENDED: frozenset({MemberState.APPROVED}),
    MemberState.DECLINED: frozenset({MemberState.APPROVED}),
}


AUDIT_KINDS = {
    MemberState.APPROVED: AuditKind.MEMBER_APPROVED,
    MemberState.DECLINED: AuditKind.MEMBER_DECLINED,
    MemberState.SUSPENDED: AuditKind.MEMBER_SUSPENDED,
}


class MembershipError(ValidationError):
    """A membership move the table does not allow."""


def membership_can_move(*, from_state: str, to: str) -> bool:
    return to in MEMBERSHIP_MOVES.get(from_state, frozenset())


def membership_transition(*, member, to: str, by, message: str = ""):
    """Move a member's account to another membership state.

    Side effects: records who and when (and the optional message) on the account and in the
    audit trail; a suspension or a declined sign-up ends every session of the account at once;
    after commit, queues an email to the member in their language
    (``community.tasks.send_membership_email``).
    Raises ``MembershipError`` when the move is not in ``MEMBERSHIP_MOVES``.
    """
    from .tasks import send_membership_email

    User = get_user_model()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=member.pk)
        if not membership_can_move(from_state=locked.state, to=to):
            raise MembershipError(
                _("%(name)s cannot go from “%(current)s” to “%(target)s”."),
                code="not_allowed",
                params={
                    "name": locked,
                    "current": MemberState(locked.state).label,
                    "target": MemberState(to).label,
                },
            )
        locked.state = to
        locked.state_changed_at = timezone.now()
        locked.state_changed_by = by
        locked.state_message = message.strip()
        fields = ["state", "state_changed_at", "state_changed_by", "state_message"]
        if to in (MemberState.SUSPENDED, MemberState.DECLINED):
            # Every stored session carries a hash of this value: they all stop matching.
            locked.session_generation += 1
            fields.append("session_generation")
        locked.save(update_fields=fields)
        audit.record(kind=AUDIT_KINDS[to], actor=by, target=locked, note=locked.state_message)
        transaction.on_commit(
            lambda: send_membership_email.delay(member_id=locked.pk, state=to, message=locked.state_message)
        )
    for field in fields:
        setattr(member, field, getattr(locked, field))
    return member


def member_set_centre(*, member, organisation: Organisation):
    """Link a member to a centre from the list (resolves “my centre is not listed”). No side effects."""
    member.organisation = organisation
    member.organisation_other = ""
    member.save(update_fields=["organisation", "organisation_other"])
    return member


# --- Profile ------------------------------------------------------------------------------

PROFILE_FIELDS = (
    "display_name",
    "job_title",
    "organisation",
    "organisation_other",
    "city",
    "country",
    "bio",
    "show_email",
    "show_photo",
    "listed_in_directory",
    "preferred_language",
    "time_zone",
    "notify_reminders",
    "notify_meeting_changes",
    "notify_guide_review",
    "theme_updates_frequency",
    "guide_updates_frequency",
    "meeting_news_frequency",
)


def _digest_cursors_follow(member, values: dict, now) -> list[str]:
    """Start or end a topic's digest chain when its frequency goes into or out of digests.

    A topic that starts being gathered begins its first window now (nothing from before is
    gathered); weekly to monthly (or back) keeps the chain, so the next digest starts exactly
    where the last one ended; a topic moved to "right away" gets a last digest of what was
    gathered since its previous one (``slots.close_digest``), a topic moved to "never" none.
    Holds the member's row while it reads the window ends (the beat's dispatcher moves them
    under the same lock). Returns the fields changed.
    """
    moving = [
        topic
        for topic in DIGEST_TOPICS
        if f"{topic}_frequency" in values
        and (member.frequency(topic) in DIGEST_FREQUENCIES) != (values[f"{topic}_frequency"] in DIGEST_FREQUENCIES)
    ]
    if not moving:
        return []
    fields = [f"{topic}_{suffix}" for topic in moving for suffix in ("frequency", "digested_until")]
    held = get_user_model().objects.select_for_update().only(*fields).get(pk=member.pk)
    closing: dict[str, dict] = {}
    for topic in moving:
        was, becomes = held.frequency(topic), values[f"{topic}_frequency"]
        if was in DIGEST_FREQUENCIES and becomes == NotificationFrequency.IMMEDIATE:
            closing.setdefault(was, {})[topic] = (held.digested_until(topic), now)
        setattr(member, f"{topic}_digested_until", now if becomes in DIGEST_FREQUENCIES else None)
    for frequency, windows in closing.items():
        slots.close_digest(member_id=member.pk, frequency=frequency, windows=windows, now=now)
    return [f"{topic}_digested_until" for topic in moving]


def profile_update(
    *,
    member,
    values: dict,
    languages: Iterable[str],
    expertise: Iterable[str],
    photo: ContentFile | None = None,
    remove_photo: bool = False,
):
    """Save a member's profile, privacy choices and preferences.

    ``values`` holds already-validated fields among ``PROFILE_FIELDS``; ``photo`` is an
    already re-encoded image (see ``community.photos``). Side effects: writes the new photo
    file; the replaced or removed photo file is deleted after commit. A topic moved into or out
    of digests starts or ends its digest chain (see ``_digest_cursors_follow``).
    """
    old_photo_name = member.photo.name if member.photo else ""
    with transaction.atomic():
        cursors = _digest_cursors_follow(member, values, timezone.now())
        changed = [name for name in PROFILE_FIELDS if name in values]
        for name in changed:
            setattr(member, name, values[name])
        changed += cursors
        if member.organisation_id:
            member.organisation_other = ""
            if "organisation_other" not in changed:
                changed.append("organisation_other")
        if photo is not None:
            member.photo.save(photo.name, photo, save=False)
            changed.append("photo")
        elif remove_photo and old_photo_name:
            member.photo = ""
            changed.append("photo")
        member.save(update_fields=changed)

        wanted = set(languages)
        current = set(member.languages_spoken.values_list("code", flat=True))
        member.languages_spoken.filter(code__in=current - wanted).delete()
        MemberLanguage.objects.bulk_create(
            [MemberLanguage(member=member, code=code) for code in sorted(wanted - current)]
        )
        member.expertise.set(list(expertise), clear=False)
        # The languages are written in bulk, which sends no signal: the directory is told here.
        DIRECTORY.changed()

        if old_photo_name and "photo" in changed:
            storage = member.photo.storage
            transaction.on_commit(lambda: storage.delete(old_photo_name))
    return member


def member_data_erase(*, member) -> None:
    """Remove what the community app stores about a member beyond the account row.

    Their expertise tags (taggit keeps them in rows of its own, which a deleted account would
    leave behind) and tags nobody else uses any more; the photo file, after commit.
    """
    from taggit.models import Tag

    tag_ids = list(member.expertise.values_list("pk", flat=True))
    member.expertise.clear()
    Tag.objects.filter(pk__in=tag_ids, taggit_taggeditem_items__isnull=True).delete()
    if member.photo:
        storage, name = member.photo.storage, member.photo.name
        transaction.on_commit(lambda: storage.delete(name))


def account_delete(*, member) -> None:
    """Delete an account for good.

    Side effects: every app's ``member_data_erase`` runs first (``portal.composition``; they
    anonymise or delete what they hold), then the account row and what cascades from it is deleted.
    """
    with transaction.atomic():
        slots.erase_personal_data(member)
        get_user_model().objects.filter(pk=member.pk).delete()


# --- A newcomer's first steps ---------------------------------------------------------------


class PairingError(ValidationError):
    """A buddy pairing the rules do not allow."""


def buddy_pair(*, newcomer, buddy, by):
    """Pair an approved member (the newcomer) with another approved member who welcomes them.

    One buddy per newcomer: pairing again with the same buddy changes nothing; with another
    buddy, the new pairing replaces the old one. Side effects: records ``by`` and an audit entry;
    after commit, queues the introduction mails (``community.tasks.send_buddy_introductions``),
    sent once per pairing. Raises ``PairingError`` when either is not an approved member or
    both are the same person.
    """
    from .models import BuddyPairing
    from .tasks import send_buddy_introductions

    if newcomer.pk == buddy.pk:
        raise PairingError(_("A newcomer cannot be their own buddy."), code="self")
    User = get_user_model()
    with transaction.atomic():
        people = {u.pk: u for u in User.objects.select_for_update().filter(pk__in=[newcomer.pk, buddy.pk])}
        if not all(pk in people and people[pk].is_approved for pk in (newcomer.pk, buddy.pk)):
            raise PairingError(_("Only approved members can be paired."), code="not_approved")
        current = BuddyPairing.objects.select_for_update().filter(newcomer=newcomer).first()
        if current is not None and current.buddy_id == buddy.pk:
            return current
        if current is not None:
            current.delete()
        pairing = BuddyPairing.objects.create(newcomer=newcomer, buddy=buddy, paired_by=by)
        audit.record(
            kind=AuditKind.BUDDY_PAIRED,
            actor=by,
            target=people[newcomer.pk],
            note=_("Buddy: %(buddy)s") % {"buddy": people[buddy.pk]},
        )
        transaction.on_commit(lambda: send_buddy_introductions.delay(pairing_id=pairing.pk))
    return pairing


def buddy_introduction_claim(*, pairing_id: int) -> bool:
    """Mark a pairing's introduction as sent; True only the first time (whoever asks first)."""
    from .models import BuddyPairing

    return bool(
        BuddyPairing.objects.filter(pk=pairing_id, introduced_at__isnull=True).update(introduced_at=timezone.now())
    )


def onboarding_mark_read(*, member) -> bool:
    """Record that a member opened the onboarding chapter, the first time only. No other side effects."""
    if member.onboarding_read_at is not None:
        return False
    now = timezone.now()
    updated = (
        get_user_model().objects.filter(pk=member.pk, onboarding_read_at__isnull=True).update(onboarding_read_at=now)
    )
    member.onboarding_read_at = now
    if updated:
        MEMBER_PAGES.changed()  # an update sends no signal: the first steps tick this one
    return bool(updated)
