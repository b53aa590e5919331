"""A member's dashboard kept rendered until something it shows changes.

What a dashboard shows comes from every app: the member's profile, answers, actions, pairing,
interest and contributions, and what everyone shares (the next meetings and their answers, the
themes looking for presenters, the latest guide entries, the directory). The panels are kept per
member, language and time zone under the versions of the families that cover them: the guide's,
the directory's, the bookstore's and ``DASHBOARDS``, which every write to the rows the panels
read bumps (saves and deletions; the services that write them in bulk bump it themselves). The
clock changes some panels (a meeting opens its link, starts and ends; a newcomer's first weeks
end): the panels say when, and a kept dashboard lasts at most ``KEPT_AT_MOST`` anyway.

Facilitators and guide editors see queues that move with everyone's actions (sign-ups, entries
to review): their dashboards are rendered on every view.
"""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from taggit.models import TaggedItem

from community.fragments import DASHBOARDS, watch

KEPT_AT_MOST = timedelta(minutes=5)
# The visit clock and sign-ins: what the dashboard reads of them is in its key.
NOT_SHOWN = frozenset({"last_login", "last_seen_at", "previous_visit_at", "password"})


def connect() -> None:
    from community.models import BuddyPairing, MemberLanguage
    from guide.models import CoAuthor, Contribution
    from meetings.models import RSVP, ActionItem, Attendance, Meeting
    from meetings.networking.models import NetworkingSession, Participant
    from themes.models import PresenterRole, Question, Theme, ThemeInterest

    watch(DASHBOARDS, get_user_model(), ignored=NOT_SHOWN)
    for model in (
        BuddyPairing,
        MemberLanguage,
        TaggedItem,
        Meeting,
        RSVP,
        Attendance,
        ActionItem,
        NetworkingSession,
        Participant,
        Theme,
        PresenterRole,
        Question,
        ThemeInterest,
        Contribution,
        CoAuthor,
    ):
        watch(DASHBOARDS, model)


def changes_at(panels: list[dict], now: datetime) -> datetime:
    """The first moment the clock alone changes these panels (each may name ``changes_at``)."""
    moments = [panel["changes_at"] for panel in panels if panel.get("changes_at") and panel["changes_at"] > now]
    return min([now + KEPT_AT_MOST, *moments])
