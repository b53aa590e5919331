"""Reads the community pages need, each with the joins that keep its query count flat."""

from datetime import timedelta
from functools import reduce
from operator import and_, or_

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import BooleanField, Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from .enums import AuditKind, MemberState
from .models import PHOTO_FOLDER, AuditEntry, BuddyPairing, MemberLanguage, Organisation
from .rules import can_view_profile, is_member


def _with_profile(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("organisation").prefetch_related("languages_spoken", "expertise")


def directory_members() -> QuerySet:
    """Approved members who chose to appear in the directory, with what a directory card shows."""
    User = get_user_model()
    return _with_profile(User.objects.approved().filter(listed_in_directory=True)).order_by("display_name", "pk")


def members_matching(queryset: QuerySet, query: str) -> QuerySet:
    """Narrow to members whose name, title, centre, city, bio or expertise contain every word of the query."""
    words = query.split()[:8]
    if not words:
        return queryset
    User = get_user_model()
    user_type = ContentType.objects.get_for_model(User)

    # PostgreSQL ignores accents too (“Liege” finds “Liège”); the SQLite quick start cannot.
    lookup = "unaccent__icontains" if connection.vendor == "postgresql" else "icontains"
    fields = ("display_name", "job_title", "organisation__name", "organisation__short_name")
    fields += ("organisation_other", "city", "bio")

    def word_matches(word: str) -> Q:
        tagged = TaggedItem.objects.filter(
            content_type=user_type, object_id=OuterRef("pk"), **{f"tag__name__{lookup}": word}
        )
        return reduce(or_, [Q(**{f"{field}__{lookup}": word}) for field in fields] + [Exists(tagged)])

    return queryset.filter(reduce(and_, [word_matches(word) for word in words]))


def member_expertise_tags(queryset: QuerySet | None = None) -> QuerySet:
    """Areas of expertise used by members (all accounts, or those of ``queryset``), by name."""
    User = get_user_model()
    items = TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(User))
    if queryset is not None:
        items = items.filter(object_id__in=queryset.values("pk"))
    return Tag.objects.filter(pk__in=items.values("tag_id")).order_by("name")


def directory_countries() -> list[str]:
    listed = get_user_model().objects.approved().filter(listed_in_directory=True).exclude(country="")
    return sorted(listed.order_by().values_list("country", flat=True).distinct())


def directory_languages() -> list[str]:
    listed = get_user_model().objects.approved().filter(listed_in_directory=True)
    return list(
        MemberLanguage.objects.filter(member__in=listed).order_by("code").values_list("code", flat=True).distinct()
    )


def profile_for(*, username: str, viewer):
    """The member whose profile ``viewer`` asks for, or 404 if it does not exist or may not be seen."""
    if "\x00" in username:  # no such handle, and PostgreSQL refuses NUL characters
        raise Http404
    User = get_user_model()
    member = _with_profile(User.objects.filter(username=username)).select_related("state_changed_by").first()
    if member is None or not can_view_profile(viewer, member):
        raise Http404
    return member


def photo_owner(*, name: str, viewer):
    """The member whose photo file is ``name`` if ``viewer`` may see it (themselves, or a member
    when the owner shows it), else 404."""
    if "\x00" in name:
        raise Http404
    User = get_user_model()
    owner = User.objects.filter(photo=f"{PHOTO_FOLDER}{name}").only("pk", "photo", "show_photo", "state").first()
    if owner is None or not (owner.pk == viewer.pk or (is_member(viewer) and owner.show_photo)):
        raise Http404
    return owner


def pending_members() -> QuerySet:
    """Sign-ups waiting for a facilitator, oldest first, with whether their email is verified."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    return (
        _with_profile(User.objects.filter(state=MemberState.PENDING, is_active=True))
        .annotate(email_verified=Exists(verified))
        .order_by("date_joined", "pk")
    )


def members_with_unlisted_centre() -> QuerySet:
    """Approved or waiting members who typed a centre that is not in the list yet."""
    User = get_user_model()
    return (
        User.objects.filter(state__in=[MemberState.PENDING, MemberState.APPROVED], is_active=True)
        .filter(organisation__isnull=True)
        .exclude(organisation_other="")
        .order_by("organisation_other", "display_name")
    )


def centres() -> QuerySet:
    """Every centre with the number of members listed in the directory."""
    listed = Q(members__state=MemberState.APPROVED, members__is_active=True, members__listed_in_directory=True)
    return Organisation.objects.annotate(member_count=Count("members", filter=listed)).order_by(
        "-is_network_team", "country", "name"
    )


def centre_members(organisation: Organisation) -> QuerySet:
    return directory_members().filter(organisation=organisation)


def profile_completion(member) -> list[tuple[str, bool]]:
    """Which parts of a profile are filled in, as (key, done) pairs, for the welcome panel and the
    first steps (kept on the member object: both ask on the same page)."""
    cached = getattr(member, "_profile_completion", None)
    if cached is None:
        cached = member._profile_completion = _profile_completion(member)
    return cached


def _profile_completion(member) -> list[tuple[str, bool]]:
    # Languages and expertise are rows of their own: both asked in one query.
    spoken = MemberLanguage.objects.filter(member=member.pk)
    tagged = member.expertise.all()
    has_languages, has_expertise = get_user_model().objects.filter(pk=member.pk).values_list(
        Exists(spoken), Exists(tagged)
    ).first() or (False, False)
    return [
        ("job_title", bool(member.job_title)),
        ("centre", bool(member.organisation_id or member.organisation_other)),
        ("country", bool(member.country)),
        ("languages", has_languages),
        ("expertise", has_expertise),
        ("bio", bool(member.bio)),
    ]


def audit_entries(*, kind: str = "") -> QuerySet[AuditEntry]:
    """The trail, newest first, optionally of one kind (an unknown kind gives nothing)."""
    entries = AuditEntry.objects.select_related("actor").order_by("-at", "-pk")
    if kind:
        entries = entries.filter(kind=kind) if kind in AuditKind.values else entries.none()
    return entries


# --- A newcomer's first steps ---------------------------------------------------------------


def is_newcomer(member, *, now=None) -> bool:
    """Whether an approved member was approved less than ``settings.FIRST_STEPS_DAYS`` ago (no query)."""
    ends = newcomer_until(member)
    return ends is not None and ends > (now or timezone.now())


def newcomer_until(member):
    """When an approved member stops being a newcomer (None if not approved)."""
    if not (member.is_approved and member.state_changed_at):
        return None
    return member.state_changed_at + timedelta(days=settings.FIRST_STEPS_DAYS)


def newcomers_without_buddy(*, now=None, limit: int = 50) -> QuerySet:
    """Members approved within the first-steps window who have no buddy yet, newest first."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.FIRST_STEPS_DAYS)
    return (
        get_user_model()
        .objects.approved()
        .filter(state_changed_at__gt=since, buddy_pairing__isnull=True)
        .select_related("organisation")
        .order_by("-state_changed_at", "pk")[:limit]
    )


def buddy_suggestions(newcomer, *, limit: int = 10) -> list:
    """Approved members who share a language or the country with ``newcomer``: both first, then a
    language, then the country; by name within each. Each carries ``shares_language`` and
    ``shares_country``."""
    User = get_user_model()
    codes = list(newcomer.languages_spoken.values_list("code", flat=True))
    shared_language = Exists(MemberLanguage.objects.filter(member=OuterRef("pk"), code__in=codes))
    same_country = Q(country=newcomer.country) if newcomer.country else Q(pk__in=[])
    members = (
        User.objects.approved()
        .exclude(pk=newcomer.pk)
        .annotate(
            shares_language=shared_language if codes else Value(False, output_field=BooleanField()),
            shares_country=Case(When(same_country, then=True), default=False, output_field=BooleanField()),
        )
        .annotate(
            rank=Case(
                When(shares_language=True, shares_country=True, then=0),
                When(shares_language=True, then=1),
                When(shares_country=True, then=2),
                default=3,
                output_field=IntegerField(),
            )
        )
        .filter(rank__lt=3)
        .select_related("organisation")
        .order_by("rank", "display_name", "pk")
    )
    return list(members[:limit])


PAIRING_SHOWN = ("username", "display_name")


def buddy_pairings_of(member) -> dict:
    """The member's buddy (``buddy``) and the newcomers they welcome (``newcomers``), in one query."""
    pairings = (
        BuddyPairing.objects.filter(Q(newcomer=member) | Q(buddy=member))
        .filter(newcomer__is_active=True, buddy__is_active=True)
        .select_related("newcomer", "buddy")
        # What the pages show of either: a name and a link to the profile.
        .only(
            "newcomer_id",
            "buddy_id",
            "paired_at",
            *(f"{who}__{field}" for who in ("newcomer", "buddy") for field in PAIRING_SHOWN),
        )
        .order_by("-paired_at", "pk")[:20]
    )
    buddy, newcomers = None, []
    for pairing in pairings:
        if pairing.newcomer_id == member.pk:
            buddy = pairing.buddy
        else:
            newcomers.append(pairing.newcomer)
    return {"buddy": buddy, "newcomers": newcomers}
