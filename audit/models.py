from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import AuditKind


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
