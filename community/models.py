import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .enums import MemberState, NotificationKind


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


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

    notify_reminders = models.BooleanField(_("meeting reminders"), default=True)
    notify_meeting_changes = models.BooleanField(_("meeting changes and cancellations"), default=True)
    notify_theme_updates = models.BooleanField(_("updates on themes I follow"), default=True)
    notify_guide_updates = models.BooleanField(_("review updates on my guide contributions"), default=True)

    objects = MemberManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_approved(self) -> bool:
        return self.is_active and self.state == MemberState.APPROVED

    def wants(self, kind: str) -> bool:
        """Whether this member accepts notifications of that kind."""
        field = {
            NotificationKind.REMINDERS: "notify_reminders",
            NotificationKind.MEETING_CHANGES: "notify_meeting_changes",
            NotificationKind.THEME_UPDATES: "notify_theme_updates",
            NotificationKind.GUIDE_UPDATES: "notify_guide_updates",
        }.get(kind)
        return True if field is None else getattr(self, field)


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
