"""Extension points through which the other apps add to community pages.

Each app may define a module ``<app>/hooks.py`` with any of these functions:

- ``dashboard_panels(user) -> list[dict]``: each dict has ``template`` and its context;
- ``profile_sections(member, viewer) -> list[dict]``: same shape, for a profile page;
- ``export_personal_data(user) -> dict``: JSON-serialisable data for the member's export;
- ``erase_personal_data(user) -> None``: called before an account is deleted;
- ``search(query, user) -> list[dict]``: results with ``title``, ``url``, ``kind``, ``excerpt``;
- ``meeting_sections(meeting, viewer) -> list[dict]``: blocks for a meeting page (themes, sheets);
- ``meeting_cancelled(*, meeting, by) -> None``: inside the cancelling transaction;
- ``seed_demo(stdout) -> None``: demo data, idempotent.

Keeping the list explicit (instead of signals) keeps the order predictable:
meetings before themes before the guide, as their data depend on each other.
"""

from importlib import import_module

HOOK_APPS = ("community", "meetings", "themes", "guide")


def _modules():
    for app in HOOK_APPS:
        try:
            yield import_module(f"{app}.hooks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.hooks":
                raise


def call_all(name: str, *args, **kwargs) -> list:
    """Call a hook in every app that defines it, in app order; return the results."""
    results = []
    for module in _modules():
        function = getattr(module, name, None)
        if function is not None:
            results.append(function(*args, **kwargs))
    return results


def collect(name: str, *args, **kwargs) -> list:
    """Call a list-returning hook in every app and chain the lists."""
    return [item for result in call_all(name, *args, **kwargs) for item in (result or [])]


def export_all(user) -> dict:
    """Merge every app's export of a member's data."""
    data: dict = {}
    for part in call_all("export_personal_data", user):
        data.update(part or {})
    return data
