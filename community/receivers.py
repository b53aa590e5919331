"""The members' directory's cached results (filters and cards), kept fresh by listening to what
they show: members, the languages they speak, their areas of expertise, their centres.

Profiles, privacy choices and memberships change through the services and the admin, which
save models; a save that touches only what the directory does not show (a sign-in, a password,
the onboarding mark) keeps the cache.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from taggit.models import Tag, TaggedItem

from .fragments import Fragments
from .models import MemberLanguage, Organisation

DIRECTORY = Fragments("directory")
NOT_SHOWN = frozenset({"last_login", "password", "onboarding_read_at"})


def _shown_changed(sender, **kwargs) -> None:
    DIRECTORY.changed()


def _member_saved(sender, update_fields=None, **kwargs) -> None:
    if update_fields is None or not set(update_fields) <= NOT_SHOWN:
        DIRECTORY.changed()


def connect() -> None:
    User = get_user_model()
    post_save.connect(_member_saved, sender=User, dispatch_uid="directory-cache-member")
    post_delete.connect(_shown_changed, sender=User, dispatch_uid="directory-cache-member")
    for model in (MemberLanguage, Organisation, Tag, TaggedItem):
        uid = f"directory-cache-{model.__name__}"
        post_save.connect(_shown_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_shown_changed, sender=model, dispatch_uid=uid)
