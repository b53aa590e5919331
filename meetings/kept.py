"""What keeps the meetings' rendered fragments fresh (connected in ``MeetingsConfig.ready``).

The list of past meetings shows each meeting's title, language, state, start and length: the
same for every member (facilitators also see drafts), rendered once per version.
"""

from community.fragments import Fragments, watch

MEETINGS = Fragments("meetings")
LISTED = ("title", "language", "state", "starts_at", "duration_minutes")


def connect() -> None:
    from .models import Meeting

    watch(MEETINGS, Meeting, shown=LISTED)
