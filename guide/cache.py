"""The published guide's rendered fragments, cached under a version that every change bumps.

A fragment's key holds the guide's current version, so bumping it (after the commit of any
change a reader could see: an entry published, edited or unpublished, a chapter rearranged,
an author renamed) makes every cached fragment unreachable at once; they expire on their own.
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

VERSION_KEY = "guide:version"
FRAGMENT_TIMEOUT = 24 * 3600


def guide_version() -> int:
    """The current version. A missing counter (flushed cache) restarts from the clock, never
    from a number an older fragment was stored under."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the counter was flushed: the clock is past every earlier version
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def guide_changed() -> None:
    """Invalidate every cached guide fragment now and again once the current transaction commits.

    The bump after the commit is the one that matters: a reader between the first bump and
    the commit may cache the old text under the new version. The first one covers the reads
    made inside the same transaction.
    """
    _bump()
    transaction.on_commit(_bump)


def fragment_key(name: str, *parts) -> str:
    """A cache key for one fragment in the current language and guide version."""
    return ":".join(["guide", name, str(guide_version()), get_language() or "", *(str(p) for p in parts)])


def cached_fragment(key: str, render) -> str:
    """The fragment under ``key``, rendered (and stored) by ``render()`` when missing."""
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_TIMEOUT)
    return html
