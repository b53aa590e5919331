"""The blocks the apps built on meetings add to a meeting's page: set once at start-up.

``meetings`` imports none of the apps above it (reminders, networking, themes, guide);
``portal.apps.PortalConfig.ready`` calls ``fill`` with ``portal.composition.meeting_sections``.
Until then (meetings on its own) the page has no extra sections.
"""

from collections.abc import Callable


def _no_sections(meeting, viewer) -> list[dict]:
    return []


meeting_sections: Callable[..., list[dict]] = _no_sections


def fill(*, meeting_sections_of) -> None:
    """Hand meetings the composed function (called from ``PortalConfig.ready``)."""
    global meeting_sections
    meeting_sections = meeting_sections_of
