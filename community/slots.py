"""What the apps built on community add to its pages: set once at start-up by the composition app.

``community`` is the bottom app and imports none of the others, yet a profile page shows
their sections, the export holds their data and deleting an account erases it.
``portal.apps.PortalConfig.ready`` calls ``fill`` with the composed functions of
``portal.composition``; until then (community on its own) they add nothing.
"""

from collections.abc import Callable


def _no_sections(member, viewer) -> list[dict]:
    return []


def _no_data(user) -> dict:
    return {}


def _nothing(user) -> None:
    return None


def _no_url() -> str | None:
    return None


def _no_closing(*, member_id, frequency, windows, now) -> bool:
    return False


profile_sections: Callable[..., list[dict]] = _no_sections
export_personal_data: Callable[..., dict] = _no_data
erase_personal_data: Callable[..., None] = _nothing
# The path of the guide's onboarding chapter, or None when there is no such chapter.
onboarding_chapter_path: Callable[[], str | None] = _no_url
# A topic leaving a digest for "right away": the last digest of what was gathered (reminders).
close_digest: Callable[..., bool] = _no_closing


def fill(*, profile_sections_of, export_of, erase_of, close_digest_of=None, onboarding_chapter_path_of=None) -> None:
    """Hand community the composed functions (called from ``PortalConfig.ready``)."""
    global profile_sections, export_personal_data, erase_personal_data, close_digest, onboarding_chapter_path
    profile_sections, export_personal_data, erase_personal_data = profile_sections_of, export_of, erase_of
    close_digest = close_digest_of or _no_closing
    onboarding_chapter_path = onboarding_chapter_path_of or _no_url
