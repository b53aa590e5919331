"""What the apps above reminders put into a digest: set once at start-up.

Reminders sit below themes and the guide and import neither; ``portal.apps.PortalConfig.ready``
calls ``fill`` with ``portal.composition.digest_sections``. Until then a digest has no sections
(and so is never sent).
"""

from collections.abc import Callable


def _no_sections(member, windows) -> list[dict]:
    return []


digest_sections: Callable[..., list[dict]] = _no_sections


def fill(*, digest_sections_of) -> None:
    """Hand reminders the composed function (called from ``PortalConfig.ready``)."""
    global digest_sections
    digest_sections = digest_sections_of
