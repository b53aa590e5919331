"""The human bookstore's rendered fragments and kept pages, under their versions (what bumps them
is connected in ``themes.receivers``)."""

from community.fragments import Fragments

# The backlog's cards (state, title, summary, topics, presenters, meeting): the same for every
# member, rendered once per version. The counts under each card are read with the page.
CARDS = Fragments("theme-cards")
COUNTS = frozenset({"interest_count", "presenter_count", "updated_at"})
# A theme's page reads the theme with what it shows of it (proposer, presenters and their
# centres, topics, meeting, experience sheet and its attachments, history) kept per version;
# so are its questions with their votes. The counts and what the viewer chose (interest, votes)
# are read with the page.
PAGES = Fragments("theme-pages")
