"""Listeners that keep the guide's cached fragments fresh (see ``guide.cache``).

Editors change the guide through the services and through the admin; both save models, so
listening to saves and deletes catches every change a reader could see.
"""

from django.contrib.auth import get_user_model

from community.fragments import watch
from community.models import Organisation
from meetings.models import Meeting, Resource
from themes.models import Theme

from .cache import GUIDE
from .models import Chapter, ChapterTranslation, Contribution


def connect() -> None:
    for model in (Contribution, Chapter, ChapterTranslation):
        watch(GUIDE, model)
    # What the guide shows of a member, a centre, and the theme, meeting or resource an entry
    # grew from (its members' pages name them): a save that changes none (a sign-in, a new bio,
    # an answer count) keeps the cache.
    for model, shown in (
        (get_user_model(), ("display_name",)),
        (Organisation, ("name",)),
        (Theme, ("title",)),
        (Meeting, ("title",)),
        (Resource, ("title",)),
    ):
        watch(GUIDE, model, shown=shown)
