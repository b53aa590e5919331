"""Every read the guide's pages need, with the joins that keep their query count constant."""

from dataclasses import dataclass, field

import rules
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)

from community.pickers import filter_by_words
from meetings.enums import MeetingState
from meetings.models import Meeting, Resource
from themes.enums import ThemeState
from themes.models import Theme

from . import slots
from .enums import ContributionKind, ContributionState, Credit
from .models import Chapter, ChapterTranslation, CoAuthor, Contribution, ContributionTransition, GuideEdition

PUBLIC_RELATED = ("chapter", "author", "centre", "source_theme", "source_meeting", "source_resource")


def reader_language(requested: str, current: str) -> str:
    """The language a reader asked for (``?lang=``) when the site speaks it, else the page's."""
    return requested if requested in dict(settings.LANGUAGES) else current


def _chapter_translation_in(language: str) -> Prefetch:
    return Prefetch(
        "translations", queryset=ChapterTranslation.objects.filter(language=language), to_attr="reader_translations"
    )


def chapters_with_counts(*, language: str = "") -> QuerySet[Chapter]:
    """Chapters for the table of contents, each with the number of its published entries
    (translations count with their original) and its title in ``language`` when translated."""
    return (
        Chapter.objects.annotate(
            published_count=Count(
                "contributions",
                filter=Q(contributions__state=ContributionState.PUBLISHED, contributions__translation_of__isnull=True),
            )
        )
        .prefetch_related(_chapter_translation_in(language or settings.LANGUAGE_CODE))
        .order_by("order", "pk")
    )


def chapter_for_reader(*, slug: str, language: str) -> Chapter:
    """One chapter, its title and introduction in ``language`` when an editor translated them."""
    return Chapter.objects.prefetch_related(_chapter_translation_in(language)).get(slug=slug)


@dataclass
class ReaderEntry:
    """A published entry as a reader sees it: the version in their language when one is
    published (else the original), and every version that exists, for the links."""

    original: Contribution
    shown: Contribution
    versions: list[Contribution] = field(default_factory=list)

    @property
    def is_translation(self) -> bool:
        return self.shown.pk != self.original.pk

    @property
    def outdated(self) -> bool:
        # The original changed since the translation was made.
        return self.is_translation and (self.shown.original_version or 0) < self.original.version

    @property
    def kind(self) -> str:
        return self.original.kind

    @property
    def title(self) -> str:
        return self.shown.title


def for_reader(entries, *, language: str) -> list[ReaderEntry]:
    """Pair each original (with ``published_translations`` prefetched) with what this reader reads."""
    result = []
    for original in entries:
        translations = original.published_translations
        shown = original
        if original.language != language:
            shown = next((t for t in translations if t.language == language), original)
        result.append(ReaderEntry(original=original, shown=shown, versions=[original, *translations]))
    return result


def credited_coauthors(prefix: str = "") -> Prefetch:
    """The co-authors who consented, with what their credit shows (``credited_coauthors``)."""
    return Prefetch(
        f"{prefix}coauthors",
        queryset=CoAuthor.objects.filter(consented_at__isnull=False)
        .select_related("member__organisation")
        .order_by("created_at", "pk"),
        to_attr="credited_coauthors",
    )


def _published_translations() -> Prefetch:
    return Prefetch(
        "translations",
        queryset=Contribution.objects.published().select_related("author", "centre").order_by("language", "pk"),
        to_attr="published_translations",
    )


def _kind_rank():
    """Kinds in the order the guide presents them: recommendations first, feedback last."""
    return Case(
        *[When(kind=kind, then=Value(rank)) for rank, kind in enumerate(ContributionKind.values)],
        default=Value(len(ContributionKind.values)),
        output_field=IntegerField(),
    )


def chapter_published_entries(*, chapter: Chapter) -> QuerySet[Contribution]:
    return (
        Contribution.objects.published()
        .filter(chapter=chapter, translation_of__isnull=True)
        .select_related(*PUBLIC_RELATED)
        .prefetch_related(_published_translations(), credited_coauthors())
        .order_by(_kind_rank(), "order", "pk")
    )


def pdf_chapters(*, language: str) -> QuerySet[Chapter]:
    """The chapters of the PDF, each with its title and introduction in ``language`` when translated."""
    return Chapter.objects.prefetch_related(_chapter_translation_in(language)).order_by("order", "pk")


def _pdf_translated_titles(*, language: str) -> dict[int, str]:
    """The titles of the published translations into ``language``, by the id of their original
    (the first one when there are several, as ``for_reader`` chooses)."""
    rows = (
        Contribution.objects.published()
        .filter(translation_of__isnull=False, language=language)
        .exclude(translation_of__language=language)
        .order_by("pk")
        .values_list("translation_of_id", "title")
    )
    titles: dict[int, str] = {}
    for original_id, title in rows.iterator(chunk_size=2000):
        titles.setdefault(original_id, title)
    return titles


def pdf_contents(*, language: str) -> list[tuple[Chapter, list[tuple[int, str]]]]:
    """The contents of the PDF in ``language``: each chapter with published entries (its title
    translated when an editor did), and the ids of their originals with the titles the reader
    reads (a published translation's when one exists), in order.

    Four queries whatever the size; the entries' texts are read part by part (``pdf_entries``).
    """
    # Originals only: a translation is read in place of its original.
    rows = (
        Contribution.objects.published()
        .filter(translation_of__isnull=True)
        .order_by("order", "pk")
        .values_list("chapter_id", "pk", "title")
    )
    translated = _pdf_translated_titles(language=language)
    entries: dict[int, list[tuple[int, str]]] = {}
    for chapter_id, pk, title in rows.iterator(chunk_size=2000):
        entries.setdefault(chapter_id, []).append((pk, translated.get(pk, title)))
    chapters = pdf_chapters(language=language).filter(pk__in=list(entries))
    return [(chapter, entries[chapter.pk]) for chapter in chapters]


def pdf_entries(*, ids: list[int], language: str) -> list[ReaderEntry]:
    """Entries of the PDF's contents, in the order of ``ids``, for one part: each original with
    what a reader of ``language`` reads (its published translation into it, else itself).

    Read by id, not by chapter: a part holds what its contents list even when an entry is
    published while the build runs (the next build adds it to both).
    """
    translations = Prefetch(
        "translations",
        queryset=Contribution.objects.published()
        .filter(language=language)
        .select_related("author", "centre")
        .order_by("pk"),
        to_attr="published_translations",
    )
    found = (
        Contribution.objects.published()
        .filter(pk__in=ids)
        .select_related("author", "centre")
        .prefetch_related(translations, credited_coauthors())
        .in_bulk()
    )
    return for_reader([found[pk] for pk in ids if pk in found], language=language)


def current_guide_edition(*, language: str) -> GuideEdition | None:
    """The newest built PDF of the guide in this language (one indexed query)."""
    return GuideEdition.objects.filter(language=language).exclude(file="").order_by("-built_at", "-pk").first()


def guide_edition_languages() -> list[str]:
    """The languages whose PDF has been asked for: each is rebuilt when the guide changes."""
    return sorted(set(GuideEdition.objects.values_list("language", flat=True).distinct()))


def published_search(*, query: str, language: str | None = None) -> QuerySet[Contribution]:
    """Published entries matching ``query``, best first, each with a ``snippet`` (the site's index)."""
    return slots.search_entries(query=query, language=language).select_related("chapter", "author", "centre")


def latest_published(*, limit: int = 5) -> list[Contribution]:
    return list(Contribution.objects.published().select_related("chapter").order_by("-published_at", "-pk")[:limit])


def _comment_steps():
    return Prefetch(
        "transitions",
        queryset=ContributionTransition.objects.select_related("by").order_by("at", "pk"),
        to_attr="steps",
    )


def contributions_of(*, author) -> QuerySet[Contribution]:
    """A member's own contributions with their review history, newest first."""
    coauthors = Prefetch(
        "coauthors", queryset=CoAuthor.objects.select_related("member").order_by("created_at", "pk"), to_attr="named"
    )
    return (
        Contribution.objects.filter(author=author)
        .select_related("chapter", "centre", "translation_of")
        .prefetch_related(_comment_steps(), coauthors)
        .order_by("-updated_at", "-pk")
    )


def _author_flags(contribution: Contribution, user) -> Contribution:
    """Set what the author may do with the contribution, by the rules in ``rules.py`` asked as
    written (``user.has_perm`` would say yes to a superuser for moves the state does not allow).
    Reads only the loaded row: no query."""
    contribution.can_edit = rules.has_perm("guide.edit_contribution", user, contribution)
    contribution.can_submit = rules.has_perm("guide.submit_contribution", user, contribution)
    contribution.can_withdraw = rules.has_perm("guide.withdraw_contribution", user, contribution)
    contribution.can_delete = rules.has_perm("guide.delete_draft", user, contribution)
    return contribution


def my_contributions_page(*, user, page_number, page_size: int) -> dict:
    """The "my contributions" page: one page of the member's contributions, each with its flags."""
    page = Paginator(contributions_of(author=user), page_size).get_page(page_number)
    for contribution in page:
        _author_flags(contribution, user)
    return {"page": page, "coauthorships": coauthorships_of(member=user)}


def own_contribution(*, pk: int, user) -> Contribution:
    """The member's own contribution, or one they co-author with their consent, with its flags.
    Raises ``Contribution.DoesNotExist`` for anyone else's, so that the page answers 404."""
    consented = CoAuthor.objects.filter(contribution=OuterRef("pk"), member=user, consented_at__isnull=False)
    contribution = (
        Contribution.objects.select_related("chapter", "author")
        .annotate(viewer_is_coauthor=Exists(consented))
        .get(Q(author=user) | Q(viewer_is_coauthor=True), pk=pk)
    )
    return _author_flags(contribution, user)


def contribution_edit_page(*, contribution: Contribution) -> dict:
    """The edit page: the contribution (from ``own_contribution``), the editors' comments and
    the co-authors with their answers."""
    steps = contribution.transitions.select_related("by").filter(by_editor=True).exclude(comment="")
    coauthors = list(contribution.coauthors.select_related("member").order_by("created_at", "pk"))
    return {
        "contribution": contribution,
        "editor_steps": steps,
        "can_submit": contribution.can_submit,
        "coauthors": coauthors,
    }


COAUTHORSHIPS_SHOWN = 50


def coauthorships_of(*, member) -> list[CoAuthor]:
    """The contributions this member is named co-author of, newest first, with what they may do."""
    rows = list(
        CoAuthor.objects.filter(member=member)
        .select_related("contribution__chapter", "contribution__author")
        .order_by("-created_at", "-pk")[:COAUTHORSHIPS_SHOWN]
    )
    for row in rows:
        row.contribution.viewer_is_coauthor = row.is_confirmed
        row.can_edit = rules.has_perm("guide.edit_contribution", member, row.contribution)
    return rows


def coauthorship_for(*, pk: int, member) -> CoAuthor:
    """One invitation of this member (``CoAuthor.DoesNotExist`` for anyone else's: a 404)."""
    return CoAuthor.objects.select_related("contribution__chapter", "contribution__author").get(pk=pk, member=member)


AWAITING_REVIEW = (ContributionState.SUBMITTED, ContributionState.IN_REVIEW)


def awaiting_review_count() -> int:
    return Contribution.objects.filter(state__in=AWAITING_REVIEW).count()


def awaiting_review(*, limit: int = 5) -> tuple[int, list[Contribution]]:
    """The size of the editors' queue and its first entries, those waiting longest first, in one
    query (the count is a window over the whole queue, computed before the limit)."""
    entries = list(
        Contribution.objects.filter(state__in=AWAITING_REVIEW)
        .select_related("author", "chapter")
        .annotate(queue_size=Window(Count("pk")))
        .order_by(F("state_changed_at").asc(nulls_first=True), "pk")[:limit]
    )
    return (entries[0].queue_size if entries else 0), entries


def open_contributions_of(*, author, states) -> list[Contribution]:
    return list(
        Contribution.objects.filter(author=author, state__in=states)
        .select_related("chapter")
        .order_by("-updated_at")[:10]
    )


def published_from_meeting(*, meeting) -> list[Contribution]:
    return list(
        Contribution.objects.published()
        .filter(source_meeting=meeting)
        .select_related("chapter")
        .order_by("chapter__order", "order", "pk")
    )


def published_credited_by_name(*, author) -> list[Contribution]:
    return list(
        Contribution.objects.published()
        .filter(author=author, credit=Credit.NAME)
        .select_related("chapter")
        .order_by("chapter__order", "order")
    )


# --- The sources a contribution names (a theme, a meeting, a resource) ---------------------------
# The form lists only the chosen ones and those a search finds (``community.pickers``): there are
# hundreds of each, and more every month.
SOURCES_FOUND = 8


def source_themes() -> QuerySet:
    """Themes a contribution may name: any but those declined or withdrawn, newest first."""
    return Theme.objects.exclude(state__in=[ThemeState.DECLINED, ThemeState.WITHDRAWN]).order_by("-created_at", "-pk")


def source_meetings() -> QuerySet:
    """Meetings a contribution may name: those published (members see them), latest first."""
    return Meeting.objects.filter(state=MeetingState.PUBLISHED).order_by("-starts_at", "-pk")


def source_resources() -> QuerySet:
    """Resources of published meetings (those of a draft or cancelled meeting are not for members
    to see), with their meeting, which tells apart resources of the same title."""
    return (
        Resource.objects.filter(meeting__state=MeetingState.PUBLISHED)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "-created_at", "-pk")
    )


def themes_found(query: str) -> list:
    """A few themes whose title or summary holds every word of ``query``."""
    return list(filter_by_words(source_themes(), query, "title", "summary")[:SOURCES_FOUND])


def meetings_found(query: str) -> list:
    """A few meetings whose title holds every word of ``query``."""
    return list(filter_by_words(source_meetings(), query, "title")[:SOURCES_FOUND])


def resources_found(query: str) -> list:
    """A few resources whose title, or their meeting's title, holds every word of ``query``."""
    return list(filter_by_words(source_resources(), query, "title", "meeting__title")[:SOURCES_FOUND])


def published_between(*, start, end, limit: int = 10) -> list[Contribution]:
    """Entries published in ``[start, end)``, oldest first (digests and the dashboard's summary)."""
    return list(
        Contribution.objects.published()
        .filter(published_at__gte=start, published_at__lt=end)
        .select_related("chapter")
        .order_by("published_at", "pk")[:limit]
    )
