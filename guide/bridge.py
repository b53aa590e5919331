"""What a contribution starts from when it grows out of a theme or a meeting: the theme's
experience sheet or the meeting's published minutes as its text, and the people who lived it
(the theme's presenters, the meeting's minute takers) as the co-authors it offers."""

from django.utils.translation import gettext as _

from meetings.models import AgendaItem, Minutes
from themes.enums import PRESENTING_STATUSES
from themes.models import ExperienceSheet, PresenterRole

# Entries are headings of the third level on the chapter page and in the PDF: their sections, the fourth.
SECTION = "####"


def _sections(pairs) -> str:
    return "\n\n".join(f"{SECTION} {heading}\n\n{text.strip()}" for heading, text in pairs if (text or "").strip())


def sheet_text(theme) -> str:
    """The theme's experience sheet as markdown, one section per part (empty parts left out)."""
    sheet = ExperienceSheet.objects.filter(theme=theme).first()
    if sheet is None:
        return ""
    return _sections(
        [
            (_("The activity or tool"), sheet.activity),
            (_("Strengths"), sheet.strengths),
            (_("Weaknesses and points of attention"), sheet.weaknesses),
            (_("Transferability"), sheet.transferability),
        ]
    )


def minutes_text(meeting) -> str:
    """The meeting's published minutes as markdown: each agenda item with its minutes, in order.
    Nothing while the minutes are not published (members do not read them yet)."""
    if meeting.minutes_published_at is None:
        return ""
    items = AgendaItem.objects.filter(meeting=meeting).select_related("minutes").order_by("position", "pk")
    return _sections((item.display_title, getattr(item, "minutes", None) and item.minutes.text) for item in items)


def presenters_of(theme) -> list[int]:
    """The ids of the members who present (or presented) the theme."""
    return list(
        PresenterRole.objects.filter(theme=theme, status__in=PRESENTING_STATUSES, member__isnull=False)
        .order_by("slot", "pk")
        .values_list("member_id", flat=True)
    )


def minute_takers_of(meeting) -> list[int]:
    """The ids of those who wrote the meeting's minutes: the last writer of each item's minutes,
    else everyone in the minutes' history (the facilitators who typed them)."""
    minutes = Minutes.objects.filter(agenda_item__meeting=meeting).exclude(text="")
    writers = list(dict.fromkeys(minutes.filter(updated_by__isnull=False).values_list("updated_by_id", flat=True)))
    if writers:
        return writers
    history = Minutes.history.filter(agenda_item__meeting=meeting, history_user__isnull=False).order_by("history_date")
    return list(dict.fromkeys(history.values_list("history_user_id", flat=True)))


def starting_point(*, theme=None, meeting=None, author=None) -> dict:
    """The text and the co-authors offered to a contribution from ``theme`` (its sheet and its
    presenters) or else from ``meeting`` (its minutes and their writers), never the author."""
    body, coauthors = "", []
    if theme is not None:
        body, coauthors = sheet_text(theme), presenters_of(theme)
    if not body and meeting is not None:
        body = minutes_text(meeting)
        coauthors = coauthors or minute_takers_of(meeting)
    author_id = getattr(author, "pk", None)
    return {"body": body, "coauthors": [pk for pk in coauthors if pk != author_id]}
