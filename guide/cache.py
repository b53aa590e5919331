"""The published guide's rendered fragments, cached under a version that every change bumps.

A fragment's key holds the guide's current version, so bumping it (after the commit of any
change a reader could see: an entry published, edited or unpublished, a chapter rearranged,
an author renamed) makes every cached fragment unreachable at once; they expire on their own.
The mechanism is ``community.fragments``; the changes that bump it are in ``guide.receivers``.
"""

from community.fragments import Fragments

GUIDE = Fragments("guide")
VERSION_KEY = GUIDE.version_key

guide_version = GUIDE.version
guide_changed = GUIDE.changed
fragment_key = GUIDE.key
cached_fragment = GUIDE.cached
