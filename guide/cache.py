"""The published guide's rendered fragments: the table of contents, the chapter pages, the
dashboard's latest entries.

They are kept under the guide's version (``community.fragments``), which any change a reader
could see bumps after its commit — an entry published, edited or unpublished, a chapter
rearranged, an author renamed (``guide.receivers``, and the services for queryset updates) —
so a reader never gets an old page.
"""

from community.fragments import Fragments

GUIDE = Fragments("guide")
