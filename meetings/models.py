import functools
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from community.languages import content_language_field
from community.models import validate_time_zone

from .enums import AgendaKind, MeetingState, RSVPResponse


class Meeting(models.Model):
    """One of the bimonthly meetings of the group. ``starts_at`` is stored in UTC."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    language = content_language_field()
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=120)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Paris",
        validators=[validate_time_zone],
        help_text=_("The zone the meeting is organised in; members see it in their own zone."),
    )
    online_url = models.URLField(_("online link"), blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty for no limit."))
    state = models.CharField(_("state"), max_length=16, choices=MeetingState.choices, default=MeetingState.DRAFT)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # Grows at each change calendar apps must see (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes_published_at = models.DateTimeField(_("minutes published at"), null=True, blank=True)
    minutes_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept current by the database on every write, with the published minutes.
    search_vector = SearchVectorField(null=True, editable=False)
    # Who changed what and when: the services set the user and a reason (agenda edits and
    # removed resources leave a revision too, so the trail of a meeting is in one place).
    history = HistoricalRecords(excluded_fields=["updated_at", "search_vector"])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["state", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="meeting_capacity_positive"
            ),
            models.CheckConstraint(condition=Q(duration_minutes__gte=1), name="meeting_duration_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_published(self) -> bool:
        return self.state == MeetingState.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.state == MeetingState.CANCELLED

    @property
    def is_draft(self) -> bool:
        return self.state == MeetingState.DRAFT

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def minutes_published(self) -> bool:
        return self.minutes_published_at is not None


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    kind = models.CharField(_("kind"), max_length=32, choices=AgendaKind.choices, default=AgendaKind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=20)
    position = models.PositiveIntegerField(_("position"), default=0)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("leading members"), blank=True, related_name="agenda_items_led"
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self):
        """The title, except that a standard title (the kind's own name, in any language) is shown
        in the reader's language: the standard agenda is created in whatever language its author used."""
        if self.kind != AgendaKind.OTHER and self.title in _standard_titles(self.kind):
            return AgendaKind(self.kind).label
        return self.title


@functools.cache
def _standard_titles(kind: str) -> frozenset[str]:
    label = AgendaKind(kind).label
    titles = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            titles.add(str(label))
    return frozenset(titles)


class RSVP(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps")
    response = models.CharField(_("response"), max_length=16, choices=RSVPResponse.choices)
    responded_at = models.DateTimeField(_("answered at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the member joined the waiting list: places are offered in this order.
    waitlisted_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_rsvp_per_member_per_meeting"),
        ]
        indexes = [models.Index(fields=["meeting", "response"])]

    def __str__(self) -> str:
        return f"{self.member} — {self.meeting}: {self.get_response_display()}"


class Resource(models.Model):
    """A tool or method shown at a meeting: a link or an uploaded file."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("short description"), blank=True)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="resources/%Y/", blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="resources_added"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Kept current by the database on every write.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def href(self) -> str:
        # Files go through a members-only view, never straight to /media/.
        return reverse("meetings:resource_file", args=[self.pk]) if self.file else self.url


class Attendance(models.Model):
    """A member recorded as present at a meeting (by a facilitator, from the RSVPs with corrections)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")]

    def __str__(self) -> str:
        return f"{self.member} @ {self.meeting}"


class Minutes(models.Model):
    """The minutes of one agenda item (markdown); every change is kept in the history."""

    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("minutes"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{self.agenda_item}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret token of a member's personal calendar feed."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.member}"


class ActionItem(models.Model):
    """An action agreed at a meeting: what, who does it (a member) and by when.

    Facilitators write them with the minutes; the owner sees them on their dashboard until done
    (and ticks them there); the open ones are carried to the next meeting's page.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("action"), max_length=500)
    # Null only once the owner's account is deleted; the form asks for one.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_actions",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["meeting", "due_on", "pk"]
        indexes = [
            models.Index(fields=["owner"], condition=Q(done_at__isnull=True), name="open_action_owner_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_by__isnull=True) | Q(done_at__isnull=False),
                name="action_done_by_only_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
