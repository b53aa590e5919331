from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import ItemBase, TagBase

from community.languages import content_language_field

from .enums import MAX_PRESENTERS, OPEN_STATES, SLOT_STATUSES, PresenterStatus, ThemeReason, ThemeState


class ThemeTopic(TagBase):
    """A topic of the human bookstore, kept apart from members' areas of expertise."""

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]


class TaggedTheme(ItemBase):
    tag = models.ForeignKey(ThemeTopic, on_delete=models.CASCADE, related_name="tagged_themes")
    content_object = models.ForeignKey("themes.Theme", on_delete=models.CASCADE, related_name="tagged_topics")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="one_topic_once_per_theme")]


class Theme(models.Model):
    """A subject of the human bookstore, proposed by a member."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    reason = models.CharField(_("why this theme"), max_length=16, choices=ThemeReason.choices)
    language = content_language_field()
    state = models.CharField(_("state"), max_length=16, choices=ThemeState.choices, default=ThemeState.PROPOSED)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="themes_proposed",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="themes",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reworded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    topics = TaggableManager(_("topics"), through=TaggedTheme, blank=True, help_text=_("Separate topics with commas."))
    # The meeting's "Human bookstore" agenda item this theme fills while it is scheduled.
    agenda_item = models.OneToOneField(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="theme",
    )
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("state changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state_note = models.TextField(_("note with the last state change"), blank=True)
    # Kept by the services that change interest and presenters (``theme_counts_refresh``): the
    # backlog and the dashboard sort on them, and counting the relations per row on every page
    # view was most of their cost.
    interest_count = models.PositiveIntegerField(_("interested members"), default=0, editable=False)
    presenter_count = models.PositiveSmallIntegerField(_("presenters"), default=0, editable=False)
    # Kept current by the database on every write, with the sheet, topics and answered questions.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "-created_at"]),
            # The backlog's default order (newest first): a page reads 20 rows instead of sorting all.
            models.Index(fields=["-created_at", "-id"], name="theme_recent_first"),
            # The backlog's "most interest" sort and the dashboard's "looking for presenters" panel.
            models.Index(fields=["-interest_count", "-created_at"], name="theme_by_interest"),
            models.Index(
                fields=["presenter_count", "-interest_count", "-created_at"],
                name="theme_looking_for_presenters",
                condition=Q(state__in=OPEN_STATES),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def sheet_or_none(self):
        """The experience sheet, or None before the presenters start one."""
        return getattr(self, "sheet", None)


class ThemeTransition(models.Model):
    """One recorded change of a theme's state: who, when, from, to."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("from"), max_length=16, choices=ThemeState.choices)
    to_state = models.CharField(_("to"), max_length=16, choices=ThemeState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("theme state change")
        verbose_name_plural = _("theme state changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.theme}: {self.from_state} → {self.to_state}"


class ThemeInterest(models.Model):
    """A member who has the same question, or wants to hear this theme."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="interests")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="theme_interests")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        constraints = [models.UniqueConstraint(fields=["theme", "member"], name="one_interest_per_member_per_theme")]

    def __str__(self) -> str:
        return f"{self.member} — {self.theme}"


class PresenterRole(models.Model):
    """A member leading (or invited to lead) a theme's session.

    At most two roles per theme hold a ``slot`` (1 or 2); the unique constraint on
    (theme, slot) makes that true even when two members volunteer at the same instant.
    """

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="presenter_roles")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="presenter_roles"
    )
    status = models.CharField(_("status"), max_length=16, choices=PresenterStatus.choices)
    slot = models.PositiveSmallIntegerField(_("slot"), null=True, blank=True)
    pitch = models.TextField(_("what I would share"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("presenter")
        verbose_name_plural = _("presenters")
        ordering = ["slot", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "member"], name="one_presenter_role_per_member_per_theme"),
            models.UniqueConstraint(fields=["theme", "slot"], name="one_presenter_per_slot"),
            models.CheckConstraint(
                condition=Q(slot__isnull=True) | Q(slot__gte=1, slot__lte=MAX_PRESENTERS),
                name="at_most_two_presenter_slots",
            ),
            models.CheckConstraint(
                condition=(Q(status__in=SLOT_STATUSES) & Q(slot__isnull=False))
                | (~Q(status__in=SLOT_STATUSES) & Q(slot__isnull=True)),
                name="active_presenters_hold_a_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member or _('a former member')} — {self.theme}"

    @property
    def is_presenting(self) -> bool:
        return self.status in (PresenterStatus.VOLUNTEERED, PresenterStatus.CONFIRMED)


class ExperienceSheet(models.Model):
    """What the presenters prepare before the session."""

    theme = models.OneToOneField(Theme, on_delete=models.CASCADE, related_name="sheet")
    activity = models.TextField(_("the activity or tool"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses and points of attention"), blank=True)
    transferability = models.TextField(
        _("transferability"), blank=True, help_text=_("How another centre could adapt it to its local context.")
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("experience sheet")
        verbose_name_plural = _("experience sheets")

    def __str__(self) -> str:
        return str(self.theme)

    @property
    def is_empty(self) -> bool:
        return not any((self.activity, self.strengths, self.weaknesses, self.transferability))


class SheetAttachment(models.Model):
    """A link or a file attached to an experience sheet."""

    sheet = models.ForeignKey(ExperienceSheet, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="themes/%Y/", blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("link or file")
        verbose_name_plural = _("links and files")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="attachment_is_a_link_or_a_file",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def href(self) -> str:
        if self.url or not self.file:
            return self.url
        # Files go through a members-only view, never straight to /media/.
        return reverse("themes:attachment_file", args=[self.pk])


class Question(models.Model):
    """A question members send to the presenters before or during the session."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="theme_questions"
    )
    body = models.TextField(_("question"), max_length=2000)
    language = content_language_field()
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.TextField(_("reply"), blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:80]


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "member"], name="one_vote_per_member_per_question")]

    def __str__(self) -> str:
        return f"{self.member} — {self.question}"
