"""Listeners that keep the guide's cached fragments fresh (see ``guide.cache``).

Editors change the guide through the services and through the admin; both save models, so
listening to saves and deletes catches every change a reader could see.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from community.models import Organisation

from .cache import guide_changed
from .models import Chapter, Contribution

# Saves of a member that change nothing the guide shows (sign-ins) keep the cache.
MEMBER_FIELDS_SHOWN = {"display_name"}


def _contents_changed(sender, **kwargs) -> None:
    guide_changed()


def _credit_changed(sender, update_fields=None, **kwargs) -> None:
    if update_fields is None or MEMBER_FIELDS_SHOWN & set(update_fields):
        guide_changed()


def connect() -> None:
    for model in (Contribution, Chapter, Organisation):
        post_save.connect(_contents_changed, sender=model, dispatch_uid=f"guide-cache-save-{model.__name__}")
        post_delete.connect(_contents_changed, sender=model, dispatch_uid=f"guide-cache-delete-{model.__name__}")
    user = get_user_model()
    post_save.connect(_credit_changed, sender=user, dispatch_uid="guide-cache-save-user")
    post_delete.connect(_contents_changed, sender=user, dispatch_uid="guide-cache-delete-user")
