"""The one place where the apps' contributions to the shared pages are listed, in order.

Every list below is imported, not looked up by name: reading this module tells which app
adds what, and in which order. Order matters where data depend on each other (demo data:
meetings before themes before the guide) and sets the order of the blocks on a page.

Each contribution is a plain function of the contributing app (mostly in ``<app>/hooks.py``):

- dashboard panels ``(user) -> list[dict]``: each dict has ``template`` and its context;
- first steps ``(member) -> list[dict]``: a newcomer's checklist items (``key``, ``label``,
  ``url``, ``done``), ticked from the data (``portal.first_steps``);
- profile sections ``(member, viewer) -> list[dict]``: same shape, for a member's profile page;
- meeting sections ``(meeting, viewer) -> list[dict]``: same shape, for a meeting's page;
- digest sections ``(member, windows) -> list[dict]``: each dict has ``topic``, ``title`` and
  ``items`` (``title``, ``path``, optional ``when`` and ``note``), for the topics in ``windows``
  (``{topic: (start, end)}``); a digest and the dashboard's "since your last visit" share them;
- search providers ``(query, user) -> list[dict]``: results with ``kind``, ``title``, ``url``, ``excerpt``;
- personal-data exports ``(user) -> dict``: JSON-serialisable parts of the member's export;
- personal-data erasers ``member_data_erase(*, member)``: run before an account is deleted;
- demo data ``(stdout) -> None``: idempotent.

``community`` and ``meetings`` cannot import the apps built on them: ``PortalConfig.ready``
hands them the composed profile, export, erase and meeting-section functions (see
``community.slots`` and ``meetings.slots``); reminders get the digest sections the same way
(``meetings.reminders.slots``).
"""

from community import hooks as community_parts
from community import selectors as community_selectors
from community import services as community_services
from community.fragments import every_family_changed
from guide import hooks as guide_parts
from guide import services as guide_services
from guide.cache import GUIDE
from meetings import hooks as meetings_parts
from meetings import services as meetings_services
from meetings.networking import hooks as networking_parts
from meetings.networking import services as networking_services
from meetings.reminders import hooks as reminders_parts
from reports import hooks as reports_parts
from themes import hooks as themes_parts
from themes import services as themes_services
from themes.kept import PAGES

from . import first_steps as first_steps_parts

DASHBOARD_PANELS = (
    community_parts.dashboard_panels,
    meetings_parts.dashboard_panels,
    networking_parts.dashboard_panels,
    themes_parts.dashboard_panels,
    guide_parts.dashboard_panels,
)

# A newcomer's checklist, in the order it reads (see ``portal.first_steps``).
FIRST_STEPS = (
    community_parts.first_steps,
    first_steps_parts.meeting_step,
    first_steps_parts.onboarding_step,
    themes_parts.first_steps,
)

PROFILE_SECTIONS = (
    meetings_parts.profile_sections,
    networking_parts.profile_sections,
    themes_parts.profile_sections,
    guide_parts.profile_sections,
)

MEETING_SECTIONS = (
    networking_parts.meeting_sections,
    reminders_parts.meeting_sections,
    themes_parts.meeting_sections,
    guide_parts.meeting_sections,
    reports_parts.meeting_sections,
)

# What the meeting sections above read, by family of kept fragments: a kept meeting page depends on them.
MEETING_SECTION_FAMILIES = (GUIDE, PAGES)

DIGEST_SECTIONS = (
    meetings_parts.digest_sections,
    themes_parts.digest_sections,
    guide_parts.digest_sections,
)

SEARCH_PROVIDERS = (
    community_parts.search,
    meetings_parts.search,
    themes_parts.search,
    guide_parts.search,
)

PERSONAL_DATA_EXPORTS = (
    community_parts.export_personal_data,
    meetings_parts.export_personal_data,
    networking_parts.export_personal_data,
    reminders_parts.export_personal_data,
    themes_parts.export_personal_data,
    guide_parts.export_personal_data,
)

# One name everywhere: each app's ``member_data_erase`` anonymises or deletes what it holds.
PERSONAL_DATA_ERASERS = (
    community_services.member_data_erase,
    networking_services.member_data_erase,
    meetings_services.member_data_erase,
    themes_services.member_data_erase,
    guide_services.member_data_erase,
)

DEMO_DATA = (
    community_parts.seed_demo,
    meetings_parts.seed_demo,
    networking_parts.seed_demo,
    reminders_parts.seed_demo,
    themes_parts.seed_demo,
    guide_parts.seed_demo,
)


def _chain(functions, *args) -> list:
    return [item for function in functions for item in (function(*args) or [])]


def dashboard_panels(user) -> list[dict]:
    """The panels of a member's dashboard, in the order above, after a newcomer's first steps."""
    return first_steps_panel(user) + _chain(DASHBOARD_PANELS, user)


def first_steps(member) -> list[dict]:
    """Every app's first steps for a newcomer, in the order above."""
    return _chain(FIRST_STEPS, member)


def first_steps_panel(user) -> list[dict]:
    """The checklist of a member approved less than ``FIRST_STEPS_DAYS`` ago, until every step is done."""
    if not community_selectors.is_newcomer(user):
        return []
    steps = first_steps(user)
    if not steps or all(step["done"] for step in steps):
        return []
    done = sum(1 for step in steps if step["done"])
    ends = community_selectors.newcomer_until(user)
    return [
        {
            "template": "portal/panels/_first_steps.html",
            "steps": steps,
            "done": done,
            "total": len(steps),
            "changes_at": ends,
        }
    ]


def profile_sections(member, viewer) -> list[dict]:
    """The blocks other apps add to a member's profile page."""
    return _chain(PROFILE_SECTIONS, member, viewer)


def meeting_sections(meeting, viewer) -> list[dict]:
    """The blocks other apps add to a meeting's page."""
    return _chain(MEETING_SECTIONS, meeting, viewer)


def digest_sections(member, windows) -> list[dict]:
    """What happened in each topic's window, for a digest or the dashboard, in the order above."""
    return _chain(DIGEST_SECTIONS, member, windows)


def search(query: str, user) -> list[dict]:
    """Every app's results for a query, grouped by app in the order above."""
    return _chain(SEARCH_PROVIDERS, query, user)


def export_personal_data(user) -> dict:
    """Every app's part of a member's personal data, merged into one dict."""
    data: dict = {}
    for export in PERSONAL_DATA_EXPORTS:
        data.update(export(user) or {})
    return data


def erase_personal_data(user) -> None:
    """Run every app's ``member_data_erase`` (before the account row is deleted)."""
    for erase in PERSONAL_DATA_ERASERS:
        erase(member=user)


def seed_demo(stdout) -> None:
    """Fill the database with the demo data of every app (idempotent)."""
    for seed in DEMO_DATA:
        seed(stdout)
    every_family_changed()  # the demo data is written in bulk: no kept page may show what was there before
