"""Listeners that keep the guide's cached fragments fresh (see ``guide.cache``).

Editors change the guide through the services and through the admin; both save models, so
listening to saves and deletes catches every change a reader could see.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_init, post_save

from community.models import Organisation
from meetings.models import Meeting, Resource
from themes.models import Theme

from .cache import guide_changed
from .models import Chapter, ChapterTranslation, Contribution

# What the guide shows of a member, a centre, and the theme, meeting or resource an entry grew
# from (its members' pages name them): a save that changes none (a sign-in, a new bio, an
# answer count) keeps the cache.
SHOWN_FIELD = {
    "User": "display_name",
    "Organisation": "name",
    "Theme": "title",
    "Meeting": "title",
    "Resource": "title",
}


def _contents_changed(sender, **kwargs) -> None:
    guide_changed()


def _remember_credit(sender, instance, **kwargs) -> None:
    instance._guide_credit = getattr(instance, SHOWN_FIELD[sender.__name__], None)


def _credit_changed(sender, instance, created=False, **kwargs) -> None:
    now = getattr(instance, SHOWN_FIELD[sender.__name__], None)
    # A new member or centre is credited for nothing yet.
    if not created and now != getattr(instance, "_guide_credit", now):
        guide_changed()
    instance._guide_credit = now


def connect() -> None:
    for model in (Contribution, Chapter, ChapterTranslation):
        post_save.connect(_contents_changed, sender=model, dispatch_uid=f"guide-cache-save-{model.__name__}")
        post_delete.connect(_contents_changed, sender=model, dispatch_uid=f"guide-cache-delete-{model.__name__}")
    for model in (get_user_model(), Organisation, Theme, Meeting, Resource):
        uid = f"guide-cache-credit-{model.__name__}"
        post_init.connect(_remember_credit, sender=model, dispatch_uid=uid)
        post_save.connect(_credit_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_contents_changed, sender=model, dispatch_uid=uid)
