"""Rendered fragments cached under a version that every change a reader could see bumps.

A fragment's key holds its family's current version (the guide, the directory, ...): bumping
it after the commit of a change makes every cached fragment of the family unreachable at once,
so a reader never sees a stale one; the old ones expire on their own. Families are instances
of ``Fragments``; each app connects the changes that concern it (its ``receivers.py``).
"""

import hashlib
import time

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

FRAGMENT_TIMEOUT = 24 * 3600


class Fragments:
    """The cached fragments of one family, under one version counter."""

    def __init__(self, family: str):
        self.family = family
        self.version_key = f"{family}:version"

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
        """A cache key for one fragment in the current language and version."""
        return ":".join([self.family, name, str(self.version()), get_language() or "", *(str(p) for p in parts)])

    @staticmethod
    def digest(text: str) -> str:
        """A short, fixed-length stand-in for free text (a search query) in a key."""
        return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()

    @staticmethod
    def cached(key: str, render) -> str:
        """The fragment under ``key``, rendered (and stored) by ``render()`` when missing."""
        html = cache.get(key)
        if html is None:
            html = render()
            cache.set(key, html, FRAGMENT_TIMEOUT)
        return html
