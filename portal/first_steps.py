"""A newcomer's first steps: the checklist on the dashboard, and the guide's onboarding chapter.

Each first step is a function ``(member) -> list[dict]`` of the app that holds its data; each
dict has ``key``, ``label``, ``url`` and ``done``, read from the data (nobody ticks a step).
``portal.composition.FIRST_STEPS`` lists them in order. The steps whose data live in the
meetings app and the guide are written here, next to their composition, as plain reads of
those apps' selectors and models.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from guide.cache import GUIDE
from guide.models import Chapter
from meetings import selectors as meeting_selectors


def onboarding_chapter_path() -> str | None:
    """The path of the guide's onboarding chapter, or None when the guide has no such chapter
    (known per version of the guide, which a new or renamed chapter bumps)."""
    slug = settings.ONBOARDING_CHAPTER_SLUG
    if not slug:
        return None
    found = GUIDE.cached(GUIDE.key("onboarding-chapter", slug), Chapter.objects.filter(slug=slug).exists)
    return reverse("guide:chapter", kwargs={"slug": slug}) if found else None


def meeting_step(member) -> list[dict]:
    """Answer the next meeting (no step while no meeting is coming)."""
    meeting = meeting_selectors.next_meeting_for(member)
    if meeting is None:
        return []
    return [
        {
            "key": "meeting",
            "label": _("Answer the next meeting: %(title)s") % {"title": meeting.title},
            "url": meeting.get_absolute_url(),
            "done": meeting.my_response is not None,
        }
    ]


def onboarding_step(member) -> list[dict]:
    """Read the guide's onboarding chapter (no step when the guide has none)."""
    path = onboarding_chapter_path()
    if path is None:
        return []
    return [
        {
            "key": "onboarding",
            "label": _("Read the guide's chapter on onboarding new colleagues"),
            "url": path,
            "done": member.onboarding_read_at is not None,
        }
    ]
