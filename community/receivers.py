"""The members' directory's cached results (filters and cards), kept fresh by listening to what
they show: members, the languages they speak, their areas of expertise, their centres.

Profiles, privacy choices and memberships change through the services and the admin, which
save models; a save that touches only what the directory does not show (a sign-in, a password,
the onboarding mark) keeps the cache. The languages are written in bulk (no signal): the
profile service tells the directory itself.
"""

from django.contrib.auth import get_user_model
from taggit.models import Tag, TaggedItem

from .fragments import Fragments, watch
from .models import MemberLanguage, Organisation

DIRECTORY = Fragments("directory")
NOT_SHOWN = frozenset({"last_login", "password", "onboarding_read_at"})


def connect() -> None:
    watch(DIRECTORY, get_user_model(), ignored=NOT_SHOWN)
    for model in (MemberLanguage, Organisation, Tag, TaggedItem):
        watch(DIRECTORY, model)
