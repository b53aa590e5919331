"""The blocks the apps built on meetings add to a meeting's page: set once at start-up.

``meetings`` imports none of the apps above it (reminders, networking, themes, guide);
``portal.apps.PortalConfig.ready`` calls ``fill`` with ``portal.composition.meeting_sections``.
Until then (meetings on its own) the page has no extra sections.
"""

from collections.abc import Callable


def _no_sections(meeting, viewer) -> list[dict]:
    return []


meeting_sections: Callable[..., list[dict]] = _no_sections
# The fragment families (``community.fragments``) whose changes those sections show: a kept
# meeting page depends on them too.
section_families: tuple = ()


def fill(*, meeting_sections_of, section_families_of: tuple = ()) -> None:
    """Hand meetings the composed function and its families (called from ``PortalConfig.ready``)."""
    global meeting_sections, section_families
    meeting_sections = meeting_sections_of
    section_families = tuple(section_families_of)
