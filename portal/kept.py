"""Pages kept rendered per member until something they show changes: the dashboard and a meeting's page.

What a dashboard shows comes from every app: the member's profile, answers, actions, pairing,
interest and contributions, and what everyone shares (the next meetings and their answers, the
themes looking for presenters, the latest guide entries, the directory). The panels are kept per
member, language and time zone under the versions of the families that cover them: the guide's,
the directory's, the bookstore's and ``MEMBER_PAGES``, which every write to the rows the panels
read bumps (saves and deletions; the services that write them in bulk bump it themselves). The
clock changes some panels (a meeting opens its link, starts and ends; a newcomer's first weeks
end): the panels say when, and a kept dashboard lasts at most ``KEPT_AT_MOST`` anyway.

A meeting's page is kept the same way per member (``meetings.views.meeting``): its agenda,
minutes, resources, actions, answers and the sections of the apps built on meetings, until one
of the same families moves or the meeting's next moment comes; so are the meetings list (until
one of its meetings opens its link, starts or ends), the theme backlog and a theme's page
(``themes.views.theme``).

Facilitators and guide editors see queues that move with everyone's actions (sign-ups, entries
to review, reminders sent): their pages are rendered on every view.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed
from taggit.models import TaggedItem

from community.fragments import KEPT_AT_MOST, MEMBER_PAGES, watch

# The visit clock and sign-ins: what the dashboard reads of them is in its key.
NOT_SHOWN = frozenset({"last_login", "last_seen_at", "previous_visit_at", "password"})


def connect() -> None:
    from community.models import BuddyPairing, MemberLanguage
    from guide.models import CoAuthor, Contribution
    from meetings.models import RSVP, ActionItem, AgendaItem, Attendance, CalendarFeed, Meeting, Minutes, Resource
    from meetings.networking.models import NetworkingSession, Participant
    from themes.models import (
        ExperienceSheet,
        PresenterRole,
        Question,
        QuestionVote,
        SheetAttachment,
        Theme,
        ThemeInterest,
    )

    watch(MEMBER_PAGES, get_user_model(), ignored=NOT_SHOWN)
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
        AgendaItem,
        Minutes,
        Resource,
        ExperienceSheet,
        SheetAttachment,
        QuestionVote,
    ):
        watch(MEMBER_PAGES, model)
    # A calendar feed is made while a page is rendered (it shows then): only a new address bumps.
    watch(MEMBER_PAGES, CalendarFeed, shown=("token",))
    # Who leads an agenda item is a many-to-many set.
    m2m_changed.connect(_leads_changed, sender=AgendaItem.leads.through, dispatch_uid="member-pages-leads", weak=False)


def _leads_changed(sender, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        MEMBER_PAGES.changed()


def changes_at(panels: list[dict], now: datetime) -> datetime:
    """The first moment the clock alone changes these panels (each may name ``changes_at``)."""
    moments = [panel["changes_at"] for panel in panels if panel.get("changes_at") and panel["changes_at"] > now]
    return min([now + KEPT_AT_MOST, *moments])
