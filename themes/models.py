from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import ThemeReason, ThemeState


class Theme(models.Model):
    """A subject of the human bookstore, proposed by a member."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    reason = models.CharField(_("why this theme"), max_length=16, choices=ThemeReason.choices)
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

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
