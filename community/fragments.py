"""Rendered fragments cached under a version that every change a reader could see bumps.

Each fragment is stored with the version of its family (the guide, the directory, ...) it was
rendered under; bumping the version after the commit of a change makes every fragment of the
family stale at once, so a reader never sees an old one: it is rendered again. The version and
the fragments are read in one round trip to the cache. Families are instances of
``Fragments``; each app connects the changes that concern it (its ``receivers.py``).
"""

import re
import time
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

FRAGMENT_TIMEOUT = 24 * 3600


class Fragments:
    """The cached fragments of one family, under one version counter."""

    families: list["Fragments"] = []

    def __init__(self, family: str):
        self.family = family
        self.version_key = f"{family}:version"
        Fragments.families.append(self)

    def version(self) -> int:
        """The current version. A missing counter (flushed cache) restarts from the clock, never
        from a number an older fragment was stored under."""
        version = cache.get(self.version_key)
        if version is None:
            cache.add(self.version_key, time.time_ns(), timeout=None)
            version = cache.get(self.version_key)
        return version

    def _bump(self) -> None:
        try:
            cache.incr(self.version_key)
        except ValueError:  # the counter was flushed: the clock is past every earlier version
            cache.set(self.version_key, time.time_ns(), timeout=None)

    def changed(self) -> None:
        """Invalidate every fragment of the family now and again once the current transaction commits.

        The bump after the commit is the one that matters: a reader between the first bump and
        the commit may cache the old content under the new version. The first one covers the
        reads made inside the same transaction.
        """
        self._bump()
        connection = transaction.get_connection()
        if connection.in_atomic_block and any(
            callback == self._bump for _savepoints, callback, _robust in connection.run_on_commit
        ):
            return  # this transaction bumps once it commits already
        transaction.on_commit(self._bump)

    def key(self, name: str, *parts) -> str:
        """A cache key for one fragment in the current language."""
        return ":".join([self.family, name, get_language() or "", *(str(p) for p in parts)])

    def cached(self, key: str, render):
        """The fragment under ``key``, rendered (and stored) by ``render()`` when missing or stale."""
        return self.cached_many([key], lambda missing: {key: render()})[key]

    def cached_many(self, keys: list[str], render_missing) -> dict:
        """The fragments under ``keys``; ``render_missing(keys)`` renders those missing or stale
        (a dict by key), which are stored for the next readers."""
        found = cache.get_many([self.version_key, *keys])
        version = found.pop(self.version_key, None) or self.version()
        fragments = {key: kept[1] for key, kept in found.items() if kept[0] == version}
        missing = [key for key in keys if key not in fragments]
        if missing:
            fresh = render_missing(missing)
            cache.set_many({key: (version, value) for key, value in fresh.items()}, FRAGMENT_TIMEOUT)
            fragments.update(fresh)
        return fragments


KEPT_PAGES = 100
CHOICE_VALUE = re.compile(r"[-\w]{1,60}")


def kept_view(query, filters: tuple[str, ...], *, fixed: dict[str, tuple[str, ...]] | None = None) -> tuple | None:
    """The parts of a cache key for a list view worth keeping: each of ``filters`` one well-formed
    choice value (or none), a near page, and each parameter of ``fixed`` one of its listed values.
    None for a free-text search ``q`` (too varied), another parameter, a repeated one or a far
    page: what is kept is bounded, no cache is filled by guessing."""
    fixed = fixed or {}
    if query.get("q", "").strip():
        return None
    if set(query) - {*filters, *fixed, "page", "q"} or any(len(query.getlist(name)) > 1 for name in query):
        return None
    if any(query.get(name, "") not in allowed for name, allowed in fixed.items()):
        return None
    page = query.get("page", "1")
    if not (page.isdigit() and 0 < int(page) <= KEPT_PAGES):
        return None
    values = [query.get(name, "") for name in (*filters, *fixed)]
    if any(value and not CHOICE_VALUE.fullmatch(value) for value in values):
        return None
    return (*values, int(page))


SLOT = re.compile(r"<!--slot:([\w-]+)-->")


def fill_slots(html: str, slots: dict[str, str]) -> SafeString:
    """A kept fragment with each ``<!--slot:name-->`` it holds replaced by what differs per viewer
    (``slots[name]``, already escaped; an unknown slot is left empty). Members' text cannot write
    a slot: it is escaped when the fragment is rendered."""
    return mark_safe(SLOT.sub(lambda found: slots.get(found.group(1), ""), html))  # noqa: S308 — our own output


# The pages kept per member (``portal.kept``: the dashboard, a meeting's page): saves and
# deletions of what they show bump it; an app that writes such rows in bulk (no signal) bumps it itself.
MEMBER_PAGES = Fragments("member-pages")
# A page kept per member lasts at most this long (what the clock changes that no page names).
KEPT_AT_MOST = timedelta(minutes=5)
# Written in a kept page instead of the form token, which belongs to the browser's session: put
# back with the reader's own token on every view.
TOKEN_SLOT = "kept-form-token-slot"


def cached_under(families: tuple[Fragments, ...], key: str, render):
    """A fragment that depends on several families: kept until one of their versions moves or the
    moment it names passes. ``render()`` returns ``(value, until)``, ``until`` the time (epoch
    seconds) at which the clock alone changes what it shows. One round trip when it is kept."""
    found = cache.get_many([*(family.version_key for family in families), key])
    versions = tuple(found.get(family.version_key) or family.version() for family in families)
    kept = found.get(key)
    now = time.time()
    if kept is not None and kept[0] == versions and kept[2] > now:
        return kept[1]
    value, until = render()
    if until > now:
        cache.set(key, (versions, value, until), timeout=min(FRAGMENT_TIMEOUT, int(until - now) + 1))
    return value


def kept_for_reader(request, parts: tuple, families: tuple[Fragments, ...], render, *, fresh: bool = False):
    """A page part kept per reader (``parts`` name it: the page, its object, the reader, ...) in the
    current language and time zone, under ``families``; or rendered now when ``fresh``.

    ``render(token)`` renders with ``token`` as the form token and returns ``(value, until)``
    (see ``cached_under``); kept parts hold ``TOKEN_SLOT`` instead, which ``with_token`` replaces.
    """
    from django.middleware.csrf import get_token
    from django.utils import timezone

    if fresh:
        return render(get_token(request))[0]
    zone = timezone.get_current_timezone_name()
    key = ":".join(str(part) for part in (*parts, get_language(), zone))
    return cached_under(families, key, lambda: render(TOKEN_SLOT))


def with_token(request, html: str) -> SafeString:
    """A kept part with the reader's own form token in place of ``TOKEN_SLOT``."""
    from django.middleware.csrf import get_token

    return mark_safe(html.replace(TOKEN_SLOT, get_token(request)))  # noqa: S308 — our own template's output


def kept_for_visitors(request, families: tuple[Fragments, ...], render_page):
    """The whole page a visitor gets, kept per address (with its query), language and time zone
    under ``families`` (``kept_for_reader``); ``render_page(token)`` renders it (a 200 page, or
    raises) with ``token`` as the form token.

    A signed-in reader or a visitor with a message waiting gets the page rendered now. The caller
    decides which addresses are worth keeping (a bounded set: no cache is filled by guessing).
    """
    from django.contrib.messages import get_messages
    from django.http import HttpResponse

    fresh = request.user.is_authenticated or bool(len(get_messages(request)))
    if fresh:
        from django.middleware.csrf import get_token

        return render_page(get_token(request))

    def render(token: str):
        return render_page(token).content.decode(), time.time() + FRAGMENT_TIMEOUT

    html = kept_for_reader(request, ("visitor-page", request.get_full_path()), families, render)
    return HttpResponse(with_token(request, html))


def every_family_changed() -> None:
    """Invalidate every family: after writes that send no signal (the demo data's bulk writes)."""
    for fragments in Fragments.families:
        fragments.changed()


def watch(fragments: Fragments, model, *, shown: tuple[str, ...] | None = None, ignored: frozenset = frozenset()):
    """Bump ``fragments`` when a row of ``model`` a fragment shows changes.

    ``shown``: the fields the fragments show of it (a member's name, a meeting's title): a save
    that changes none of them, or creates the row, keeps the cache. Without ``shown``, every
    save bumps but one whose ``update_fields`` are all in ``ignored`` (counts kept elsewhere).
    A deletion always bumps.
    """
    from django.db.models.signals import post_delete, post_init, post_save

    uid = f"{fragments.family}-fragments-{model._meta.label_lower}"

    def changed(sender, **kwargs) -> None:
        fragments.changed()

    if shown is None:

        def saved(sender, update_fields=None, **kwargs) -> None:
            if update_fields is None or not set(update_fields) <= ignored:
                fragments.changed()

    else:
        attribute = f"_{fragments.family}_shown"

        def remember(sender, instance, **kwargs) -> None:
            instance.__dict__[attribute] = tuple(instance.__dict__.get(field) for field in shown)

        def saved(sender, instance, created=False, **kwargs) -> None:
            now = tuple(instance.__dict__.get(field) for field in shown)
            if not created and now != instance.__dict__.get(attribute, now):
                fragments.changed()
            instance.__dict__[attribute] = now

        post_init.connect(remember, sender=model, dispatch_uid=uid, weak=False)
    post_save.connect(saved, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(changed, sender=model, dispatch_uid=uid, weak=False)


def is_bump(callback) -> bool:
    """Whether an on-commit callback is a family's version bump (tests count the others)."""
    return isinstance(getattr(callback, "__self__", None), Fragments)
