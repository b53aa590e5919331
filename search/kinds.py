"""The kinds of things the search finds: which rows a reader may see, and how a result reads.

Each kind names its visible rows (with the joins its result line needs), the column a typo
is looked for in (names), the SQL that gives the text a snippet is cut from, the
fields the SQLite quick start matches instead, and the line it shows (title, link, and the
chapter, meeting or centre it belongs to).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from community.rules import is_member
from guide.models import Contribution
from meetings.enums import MeetingState
from meetings.models import Resource
from meetings.selectors import visible_meetings
from themes.models import Theme


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    rows: Callable[[object], QuerySet]
    title_field: str
    # SQL of the text a snippet is cut from, on the unaliased base table.
    document: Callable[[], object]
    fallback_fields: tuple[str, ...]
    line: Callable[[object], dict]
    may_search: Callable[[object], bool] = is_member
    # Typo tolerance (pg_trgm on the title column): for names, where a stem cannot help.
    fuzzy: bool = False


def _guide_rows(user) -> QuerySet:
    return Contribution.objects.published().select_related("chapter")


def _guide_line(entry) -> dict:
    return {
        "title": entry.title,
        "url": entry.get_absolute_url(),
        "context": entry.chapter.title,
        "context_url": entry.chapter.get_absolute_url(),
    }


def _theme_rows(user) -> QuerySet:
    return Theme.objects.select_related("meeting")


def _theme_line(theme) -> dict:
    meeting = theme.meeting
    return {
        "title": theme.title,
        "url": reverse("themes:detail", args=[theme.pk]),
        "context": meeting.title if meeting else theme.get_state_display(),
        "context_url": meeting.get_absolute_url() if meeting else "",
    }


def _meeting_rows(user) -> QuerySet:
    return visible_meetings(user)


def _meeting_line(meeting) -> dict:
    return {
        "title": meeting.title,
        "url": meeting.get_absolute_url(),
        "context": formats.date_format(meeting.starts_at, "DATE_FORMAT"),
        "context_url": "",
    }


def _resource_rows(user) -> QuerySet:
    # As the resource library: never the resources of a draft meeting.
    return Resource.objects.exclude(meeting__state=MeetingState.DRAFT).select_related("meeting")


def _resource_line(resource) -> dict:
    return {
        "title": resource.title,
        "url": resource.meeting.get_absolute_url() + "#resources",
        "context": resource.meeting.title,
        "context_url": resource.meeting.get_absolute_url(),
    }


def _member_rows(user) -> QuerySet:
    # The directory's own rule (approved, active, listed); the stored vector is empty otherwise too.
    return get_user_model().objects.approved().filter(listed_in_directory=True).select_related("organisation")


def _member_line(member) -> dict:
    organisation = member.organisation
    return {
        "title": member.display_name,
        "url": member.get_absolute_url(),
        "context": member.centre_name,
        "context_url": organisation.get_absolute_url() if organisation else "",
    }


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            key="guide",
            label=_("Guide entries"),
            rows=_guide_rows,
            title_field="title",
            document=lambda: F("body"),
            fallback_fields=("title", "body"),
            line=_guide_line,
            may_search=lambda user: True,
        ),
        Kind(
            key="themes",
            label=_("Themes"),
            rows=_theme_rows,
            title_field="title",
            document=lambda: RawSQL('kip_theme_document("themes_theme")', []),
            fallback_fields=("title", "summary"),
            line=_theme_line,
        ),
        Kind(
            key="meetings",
            label=_("Meetings"),
            rows=_meeting_rows,
            title_field="title",
            document=lambda: RawSQL('kip_meeting_document("meetings_meeting")', []),
            fallback_fields=("title", "description"),
            line=_meeting_line,
        ),
        Kind(
            key="resources",
            label=_("Meeting resources"),
            rows=_resource_rows,
            title_field="title",
            document=lambda: F("description"),
            fallback_fields=("title", "description"),
            line=_resource_line,
        ),
        Kind(
            key="members",
            label=_("Members"),
            rows=_member_rows,
            title_field="display_name",
            document=lambda: RawSQL('kip_member_document("community_user")', []),
            fallback_fields=("display_name", "job_title", "city", "organisation__name", "organisation_other"),
            line=_member_line,
            fuzzy=True,
        ),
    )
}


def kinds_for(user) -> list[Kind]:
    """The kinds this reader may search, in the order the page shows them."""
    return [kind for kind in KINDS.values() if kind.may_search(user)]
