import functools
import zoneinfo
from importlib import resources
from pathlib import Path

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from taggit.managers import TaggableManager

from .enums import DIGEST_TOPICS, AuditKind, MemberState, NotificationFrequency, NotificationKind
from .languages import LANGUAGES, language_name

# Where member photos are stored (in the storage, under unguessable names).
PHOTO_FOLDER = "members/photos/"


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def _tz_file(name: str) -> str:
    """A text file of the tz database (``zone.tab``, ``tzdata.zi``), from the tzdata package or the system."""
    try:
        return resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        for folder in zoneinfo.TZPATH:
            path = Path(folder) / name
            if path.exists():
                return path.read_text(encoding="utf-8")
    return ""


@functools.cache
def canonical_time_zones() -> tuple[str, ...]:
    """Zones a person lives in: those of ``zone.tab`` that this system knows, and UTC
    (no "Factory", "localtime", "US/Eastern" or other legacy aliases)."""
    listed = {line.split("\t")[2] for line in _tz_file("zone.tab").splitlines() if line and not line.startswith("#")}
    known = zoneinfo.available_timezones()
    zones = sorted(listed & known) or sorted(name for name in known if "/" in name and not name.startswith("Etc/"))
    return ("UTC", *zones)


@functools.cache
def _zone_links() -> dict[str, str]:
    """Each alias of the tz database and the zone it stands for ("Europe/Kiev" → "Europe/Kyiv")."""
    links = {}
    for line in _tz_file("tzdata.zi").splitlines():
        if line.startswith("L "):
            _kind, target, alias = line.split()[:3]
            links[alias] = target
    return links


def canonical_time_zone(name: str) -> str | None:
    """The canonical zone a zone's name stands for ("Asia/Calcutta" → "Asia/Kolkata", "Etc/UTC" → "UTC"),
    or None when the name is no zone a person lives in ("Factory", "Mars/Olympus")."""
    canonical, links = set(canonical_time_zones()), _zone_links()
    seen = set()
    while name not in canonical:
        if name == "Etc/UTC":
            return "UTC"
        if name in seen or name not in links:
            return None
        seen.add(name)
        name = links[name]
    return name


def time_zone_choices() -> list:
    """The canonical zones grouped by region ("Europe" → "Paris"), UTC first."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in canonical_time_zones()[1:]:
        region, _sep, place = name.partition("/")
        groups.setdefault(region, []).append((name, place.replace("_", " ").replace("/", " – ")))
    return [("UTC", "UTC"), *((region, zones) for region, zones in groups.items())]


class MemberQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=MemberState.APPROVED, is_active=True)


class MemberManager(UserManager.from_queryset(MemberQuerySet)):
    pass


class User(AbstractUser):
    """A person with an account. Email is the login; the username is the public handle in URLs."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=150)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])
    state = models.CharField(_("membership"), max_length=16, choices=MemberState.choices, default=MemberState.PENDING)
    state_changed_at = models.DateTimeField(_("membership changed at"), null=True, blank=True)
    state_changed_by = models.ForeignKey(
        "self",
        verbose_name=_("membership changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state_message = models.TextField(_("message sent with the last membership change"), blank=True)
    organisation = models.ForeignKey(
        "community.Organisation",
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )

    # Profile: what the member tells the community about themselves.
    job_title = models.CharField(
        _("job title"), max_length=150, blank=True, help_text=_("For example “Partnership manager — entrepreneurship”.")
    )
    organisation_other = models.CharField(
        _("centre not listed"),
        max_length=200,
        blank=True,
        help_text=_("The name of your centre if it is not in the list yet; a facilitator will add it."),
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    bio = models.TextField(_("short bio"), max_length=3000, blank=True)
    photo = models.ImageField(_("photo"), upload_to=PHOTO_FOLDER, blank=True)
    expertise = TaggableManager(
        verbose_name=_("areas of expertise"), blank=True, help_text=_("Separate areas with commas.")
    )

    # Privacy choices.
    show_email = models.BooleanField(_("show my email to other members"), default=False)
    show_photo = models.BooleanField(_("show my photo to other members"), default=True)
    listed_in_directory = models.BooleanField(_("list me in the members' directory"), default=True)

    # Raised to end every session of the account at once (suspension).
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    notify_reminders = models.BooleanField(_("meeting reminders"), default=True)
    notify_meeting_changes = models.BooleanField(_("meeting changes and cancellations"), default=True)
    # Guide editors only: a contribution submitted or resubmitted for review.
    notify_guide_review = models.BooleanField(_("contributions sent to the guide editors"), default=True)
    # Theme and guide updates and new meetings: right away, gathered in a digest, or never. New
    # members hear of new meetings right away (the announcement); members who joined before it
    # existed keep what they had ("never" by default could not be told from "never" chosen).
    theme_updates_frequency = models.CharField(
        _("updates on themes I follow"),
        max_length=16,
        choices=NotificationFrequency.choices,
        default=NotificationFrequency.IMMEDIATE,
    )
    guide_updates_frequency = models.CharField(
        _("guide updates"),
        max_length=16,
        choices=NotificationFrequency.choices,
        default=NotificationFrequency.IMMEDIATE,
    )
    meeting_news_frequency = models.CharField(
        _("new meetings"),
        max_length=16,
        choices=NotificationFrequency.choices,
        default=NotificationFrequency.IMMEDIATE,
    )
    # Per topic, the end of the last digest window (or the moment the topic went into digests):
    # the next digest starts exactly there, whenever beat runs (see ``meetings.reminders.periods``).
    theme_updates_digested_until = models.DateTimeField(null=True, blank=True, editable=False)
    guide_updates_digested_until = models.DateTimeField(null=True, blank=True, editable=False)
    meeting_news_digested_until = models.DateTimeField(null=True, blank=True, editable=False)

    # The dashboard's "since your last visit": the member's last request (rewritten at most every
    # few minutes, see ``community.visits``) and where the current visit's summary starts.
    last_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    previous_visit_at = models.DateTimeField(null=True, blank=True, editable=False)

    # A newcomer's first steps: when the member first opened the guide's onboarding chapter
    # (``settings.ONBOARDING_CHAPTER_SLUG``), written once by ``community.middleware``.
    onboarding_read_at = models.DateTimeField(_("onboarding chapter read at"), null=True, blank=True, editable=False)

    # What the directory shows of the member, kept current by the database on every write
    # (centre, expertise and privacy choices included); empty while not listed.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = MemberManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["display_name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=MemberState.values), name="member_state_is_known"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("community:profile", kwargs={"username": self.username})

    @property
    def photo_url(self) -> str:
        """Where pages show the photo: a view that applies the privacy choice, not the storage URL."""
        if not self.photo:
            return ""
        return reverse("community:photo", kwargs={"name": self.photo.name.rsplit("/", 1)[-1]})

    @property
    def is_approved(self) -> bool:
        return self.is_active and self.state == MemberState.APPROVED

    def has_perm(self, perm, obj=None) -> bool:
        """A rule decides its own name alone (``<app>/rules.py``); Django's model permissions
        (``add/change/delete/view_<model>``, which no rule reuses) go through the backends.

        Asking every backend would make the model ones load the person's groups and permissions
        whenever a rule says no: queries on every page that checks a rule.
        """
        if self.is_active and self.is_superuser:
            return True
        if rules.perm_exists(perm):
            return rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    def _get_session_auth_hash(self, secret=None):
        # Sessions store this hash; when it changes, Django signs the session out at its next
        # request. Mixing in ``session_generation`` lets a suspension end every session at once.
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        value = self.password if not self.session_generation else f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def initials(self) -> str:
        words = (self.display_name or self.username).split()
        return "".join(word[0] for word in words[:2]).upper()

    @property
    def centre_name(self) -> str:
        return str(self.organisation) if self.organisation_id else self.organisation_other

    def wants(self, kind: str) -> bool:
        """Whether this member accepts immediate notifications of that kind (not gathered in a digest)."""
        if kind in DIGEST_TOPICS:
            return self.frequency(kind) == NotificationFrequency.IMMEDIATE
        field = {
            NotificationKind.REMINDERS: "notify_reminders",
            NotificationKind.MEETING_CHANGES: "notify_meeting_changes",
            NotificationKind.GUIDE_REVIEW: "notify_guide_review",
        }.get(kind)
        return True if field is None else getattr(self, field)

    def frequency(self, topic: str) -> str:
        """How often the member hears of a digest topic (``DIGEST_TOPICS``)."""
        return getattr(self, f"{topic}_frequency")

    def digested_until(self, topic: str):
        return getattr(self, f"{topic}_digested_until")


class Organisation(models.Model):
    """A centre of the network (or the network-level facilitating team)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_network_team = models.BooleanField(
        _("network-level team"), default=False, help_text=_("The facilitating team of the network, not a centre.")
    )

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("community:centre", kwargs={"slug": self.slug})


class MemberLanguage(models.Model):
    """A language a member speaks (ISO 639-1 code)."""

    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="languages_spoken")
    code = models.CharField(_("language"), max_length=8, choices=LANGUAGES)

    class Meta:
        verbose_name = _("language spoken")
        verbose_name_plural = _("languages spoken")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["member", "code"], name="one_row_per_member_language")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return language_name(self.code)


class AuditEntry(models.Model):
    """One decision taken on somebody else's account or content: who, what, on what, when.

    The actor's name and the target's label are copied at the time, so an entry still reads
    the same after the account or the object is renamed or deleted.
    """

    kind = models.CharField(_("what"), max_length=32, choices=AuditKind.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("by (name at the time)"), max_length=150, blank=True)
    target_label = models.CharField(_("on"), max_length=300)
    target_url = models.CharField(_("link"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target_label}"


class BuddyPairing(models.Model):
    """A newcomer and the member a facilitator asked to welcome them (one buddy per newcomer).

    ``introduced_at`` is set when the introduction mails go out, so they go out once per pairing.
    """

    newcomer = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("newcomer"), on_delete=models.CASCADE, related_name="buddy_pairing"
    )
    buddy = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("buddy"), on_delete=models.CASCADE, related_name="buddy_of"
    )
    paired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paired by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    paired_at = models.DateTimeField(_("paired at"), auto_now_add=True)
    introduced_at = models.DateTimeField(_("introduction sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("buddy pairing")
        verbose_name_plural = _("buddy pairings")
        constraints = [
            models.CheckConstraint(condition=~models.Q(newcomer=models.F("buddy")), name="buddy_is_someone_else"),
        ]

    def __str__(self) -> str:
        return _("%(buddy)s, buddy of %(newcomer)s") % {"buddy": self.buddy, "newcomer": self.newcomer}
