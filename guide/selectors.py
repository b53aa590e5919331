"""Every read the guide's pages need, with the joins that keep their query count constant."""

import rules
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from . import slots
from .enums import ContributionKind, ContributionState, Credit
from .models import Chapter, Contribution, ContributionTransition, GuideEdition

PUBLIC_RELATED = ("chapter", "author", "centre", "source_theme", "source_meeting", "source_resource")


def chapters_with_counts() -> QuerySet[Chapter]:
    """Chapters for the table of contents, each with the number of its published entries."""
    return Chapter.objects.annotate(
        published_count=Count("contributions", filter=Q(contributions__state=ContributionState.PUBLISHED))
    ).order_by("order", "pk")


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
        .filter(chapter=chapter)
        .select_related(*PUBLIC_RELATED)
        .order_by(_kind_rank(), "order", "pk")
    )


def pdf_contents() -> list[tuple[Chapter, list[tuple[int, str]]]]:
    """The contents of the PDF: each chapter with published entries, and their ids and titles in order.

    Two queries whatever the size; the entries' texts are read part by part (``pdf_chapter_entries``).
    """
    rows = Contribution.objects.published().order_by("order", "pk").values_list("chapter_id", "pk", "title")
    entries: dict[int, list[tuple[int, str]]] = {}
    for chapter_id, pk, title in rows.iterator(chunk_size=2000):
        entries.setdefault(chapter_id, []).append((pk, title))
    chapters = Chapter.objects.filter(pk__in=list(entries)).order_by("order", "pk")
    return [(chapter, entries[chapter.pk]) for chapter in chapters]


def pdf_entries(*, ids: list[int]) -> list[Contribution]:
    """Entries of the PDF's contents, in the order of ``ids``, for one part.

    Read by id, not by chapter: a part holds what its contents list even when an entry is
    published while the build runs (the next build adds it to both).
    """
    found = Contribution.objects.published().filter(pk__in=ids).select_related("author", "centre").in_bulk()
    return [found[pk] for pk in ids if pk in found]


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
    return (
        Contribution.objects.filter(author=author)
        .select_related("chapter", "centre")
        .prefetch_related(_comment_steps())
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
    return {"page": page}


def own_contribution(*, pk: int, user) -> Contribution:
    """The member's own contribution with its flags. Raises ``Contribution.DoesNotExist`` for
    anyone else's, so that the page answers 404."""
    return _author_flags(Contribution.objects.select_related("chapter").get(pk=pk, author=user), user)


def contribution_edit_page(*, contribution: Contribution) -> dict:
    """The edit page: the contribution (from ``own_contribution``) and the editors' comments."""
    steps = contribution.transitions.select_related("by").filter(by_editor=True).exclude(comment="")
    return {"contribution": contribution, "editor_steps": steps, "can_submit": contribution.can_submit}


def awaiting_review_count() -> int:
    return Contribution.objects.filter(state__in=[ContributionState.SUBMITTED, ContributionState.IN_REVIEW]).count()


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
