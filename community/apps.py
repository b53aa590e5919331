import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self):
        from . import receivers, security, signals, visits  # noqa: F401 - connects the listeners

        receivers.connect()
        post_migrate.connect(_release_changes_every_page, sender=self)


def _release_changes_every_page(sender, **kwargs) -> None:
    """A release runs ``migrate`` once: its templates and catalogues may render every kept page
    differently, so none is served again. Kept pages are a cache: an unreachable one is said,
    not fatal to the release."""
    from .fragments import every_family_changed

    try:
        every_family_changed()
    except Exception as exc:  # any cache error: the migration itself succeeded
        logging.getLogger(__name__).warning("Kept pages not renewed (%s): they expire on their own within a day.", exc)
