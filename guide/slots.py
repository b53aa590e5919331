"""What the search app lends the guide: set once at start-up by ``search.apps.SearchConfig.ready``.

The guide's own search (``/guide/?q=``) uses the site's full-text index, which lives in the
``search`` app above the guide; until it is filled (the guide on its own) a plain match serves.
"""

from collections.abc import Callable

from django.db.models import Q, QuerySet, Value


def _plain_match(*, query: str, language: str | None = None) -> QuerySet:
    from .models import Contribution

    return (
        Contribution.objects.published()
        .filter(Q(title__icontains=query) | Q(body__icontains=query))
        .annotate(snippet=Value(""))
        .order_by("chapter__order", "order", "pk")
    )


search_entries: Callable[..., QuerySet] = _plain_match


def fill(*, search_entries_with) -> None:
    """Hand the guide the ranked search of published entries (called from ``SearchConfig.ready``)."""
    global search_entries
    search_entries = search_entries_with
