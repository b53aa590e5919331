from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from community.languages import content_language_field

from .enums import EDITABLE_STATES, RESERVED_SLUGS, CoAuthorCredit, ContributionKind, ContributionState, Credit


def validate_chapter_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("“%(value)s” is the address of another guide page."), params={"value": value})


class Chapter(models.Model):
    """A chapter of the guide; its published entries appear on its page, in order."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, validators=[validate_chapter_slug])
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Markdown."))
    language = content_language_field()
    order = models.PositiveIntegerField(_("order"), default=0)
    # Part of the PDF's fingerprint: a renamed or reordered chapter gives a new PDF.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("guide:chapter", kwargs={"slug": self.slug})

    # With ``reader_translations`` prefetched (guide.selectors), the chapter as the reader reads it.
    @property
    def reader_translation(self):
        return (getattr(self, "reader_translations", None) or [None])[0]

    @property
    def shown_title(self) -> str:
        return (self.reader_translation or self).title

    @property
    def shown_introduction(self) -> str:
        return (self.reader_translation or self).introduction

    @property
    def shown_language(self) -> str:
        return (self.reader_translation or self).language


class ChapterTranslation(models.Model):
    """A chapter's title and introduction in another language, written by an editor."""

    chapter = models.ForeignKey(
        Chapter, verbose_name=_("chapter"), on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Markdown."))
    # Part of the PDF's fingerprint in its language: an edited translation gives a new PDF.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("chapter translation")
        verbose_name_plural = _("chapter translations")
        constraints = [
            models.UniqueConstraint(fields=["chapter", "language"], name="one_chapter_translation_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


STATE_BADGES = {
    ContributionState.DRAFT: "text-bg-light border",
    ContributionState.SUBMITTED: "text-bg-primary",
    ContributionState.IN_REVIEW: "text-bg-info",
    ContributionState.CHANGES_REQUESTED: "text-bg-warning",
    ContributionState.ACCEPTED: "text-bg-success",
    ContributionState.PUBLISHED: "text-bg-success",
    ContributionState.REJECTED: "text-bg-danger",
}


class ContributionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=ContributionState.PUBLISHED)


class Contribution(models.Model):
    """A member's text for the guide. Its state changes only through ``services.contribution_transition``."""

    kind = models.CharField(_("kind"), max_length=24, choices=ContributionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown: **bold**, *italic*, lists, [links](https://…)."))
    language = content_language_field()
    chapter = models.ForeignKey(
        Chapter, verbose_name=_("chapter"), on_delete=models.PROTECT, related_name="contributions"
    )
    centre = models.ForeignKey(
        "community.Organisation",
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guide_contributions",
        help_text=_("The centre this experience comes from."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guide_contributions",
    )
    source_theme = models.ForeignKey(
        "themes.Theme",
        verbose_name=_("from the theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guide_contributions",
    )
    source_meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("from the meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guide_contributions",
    )
    source_resource = models.ForeignKey(
        "meetings.Resource",
        verbose_name=_("from the resource"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guide_contributions",
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text=_("The published entry this text translates."),
    )
    # The original's version the translation was made from: a newer original makes it "may be out of date".
    original_version = models.PositiveIntegerField(_("version of the original translated"), null=True, blank=True)
    licence_consent = models.BooleanField(_("consent to the guide's licence"), default=False)
    credit = models.CharField(_("credit"), max_length=16, choices=Credit.choices, default=Credit.NAME)
    state = models.CharField(
        _("state"), max_length=24, choices=ContributionState.choices, default=ContributionState.DRAFT, db_index=True
    )
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order in the chapter"), default=0)
    # Grows at each edit of the text: an edit based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Kept current by the database on every write (search app's migration); never set here.
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "search_vector"])

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["chapter__order", "order", "pk"]
        indexes = [
            models.Index(fields=["chapter", "state", "order"]),
            # The dashboard's latest entries: the newest few published, read from the index's head.
            models.Index(
                fields=["-published_at", "-id"],
                name="guide_latest_published",
                condition=Q(state=ContributionState.PUBLISHED),
            ),
        ]
        constraints = [
            # Nothing reaches readers without the author's consent to the licence.
            models.CheckConstraint(
                condition=~Q(state=ContributionState.PUBLISHED) | Q(licence_consent=True),
                name="guide_published_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.translation_of_id:
            # A translation is read in place of its original, on the chapter in its language.
            return f"{self.chapter.get_absolute_url()}?lang={self.language}#entry-{self.translation_of_id}"
        return f"{self.chapter.get_absolute_url()}#entry-{self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def state_badge(self) -> str:
        """Bootstrap classes for the state's badge (works on pages that do not load the guide's CSS)."""
        return STATE_BADGES.get(self.state, "text-bg-secondary")

    @property
    def is_translation_outdated(self) -> bool:
        """Whether the original changed since this translation was made (needs ``translation_of`` loaded)."""
        original = self.translation_of
        return bool(original and (self.original_version or 0) < original.version)

    @property
    def is_anonymous(self) -> bool:
        return self.credit == Credit.ANONYMOUS or self.author_id is None


class CoAuthor(models.Model):
    """A member the author names as co-author. Credited only once they consent, the way they
    chose; a consenting co-author may edit the text while the author may (``guide.rules``)."""

    contribution = models.ForeignKey(
        Contribution, verbose_name=_("contribution"), on_delete=models.CASCADE, related_name="coauthors"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-author"),
        on_delete=models.CASCADE,
        related_name="guide_coauthorships",
    )
    credit = models.CharField(_("credit"), max_length=16, choices=CoAuthorCredit.choices, default=CoAuthorCredit.NAME)
    consented_at = models.DateTimeField(_("consented at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("co-author")
        verbose_name_plural = _("co-authors")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contribution", "member"], name="one_coauthorship_per_member"),
            models.CheckConstraint(
                condition=Q(consented_at__isnull=True) | Q(declined_at__isnull=True),
                name="coauthor_consents_or_declines",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.contribution}"

    @property
    def is_confirmed(self) -> bool:
        return self.consented_at is not None

    @property
    def is_anonymous(self) -> bool:
        return self.credit == CoAuthorCredit.ANONYMOUS

    @property
    def shows_centre(self) -> bool:
        return self.credit == CoAuthorCredit.NAME


class ContributionTransition(models.Model):
    """One move of the review workflow, with the editor's or author's comment."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("from"), max_length=24, choices=ContributionState.choices)
    to_state = models.CharField(_("to"), max_length=24, choices=ContributionState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guide_transitions",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    by_editor = models.BooleanField(_("by an editor"), default=False)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review history")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


def edition_upload_to(edition: "GuideEdition", filename: str) -> str:
    return f"guide/pdf/{edition.language}/{filename}"


class GuideEdition(models.Model):
    """One build of the guide's PDF for one language, kept in the default storage.

    Readers get the newest edition of their language at once; its fingerprint (see
    ``pdf.guide_fingerprint``) is the ETag. Older rows stay as the log of the builds.
    """

    # A code of settings.LANGUAGES (not as choices: a new language needs no migration).
    language = models.CharField(_("language"), max_length=8)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    file = models.FileField(_("file"), upload_to=edition_upload_to, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    entry_count = models.PositiveIntegerField(_("entries"), default=0)
    duration = models.FloatField(_("build time in seconds"), default=0)
    built_at = models.DateTimeField(_("built at"), default=timezone.now)

    class Meta:
        verbose_name = _("PDF edition of the guide")
        verbose_name_plural = _("PDF editions of the guide")
        ordering = ["-built_at", "-pk"]
        indexes = [models.Index(fields=["language", "-built_at"], name="guide_edition_latest")]

    def __str__(self) -> str:
        return f"{self.language} {self.fingerprint[:8]} ({self.built_at:%Y-%m-%d %H:%M})"
