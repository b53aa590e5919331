"""The reads of the search page: counts per kind, a ranked page of results, their snippets.

One query counts every kind at once, and one query per kind shown fetches its rows with their
rank, snippet and context: the number of queries depends on the kinds shown, never on the rows.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchRank, TrigramWordSimilarity
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import BooleanField, F, FloatField, Func, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower, Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .kinds import KINDS, Kind, kinds_for
from .query import MAX_LENGTH, MIN_LENGTH, ParsedQuery, clean, parse

# ts_headline marks matches with these private-use characters; the text is escaped, then they
# become <mark> tags: the only markup a snippet can carry.
_START, _STOP = "\ue000", "\ue001"
_MARKDOWN = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_#`>]+")
TYPO_WEIGHT = 0.1
# ts_headline's options, as SearchHeadline would write them (quoted values), written once.
HEADLINE_OPTIONS = ", ".join(
    f"{name}='{value}'"
    for name, value in (
        ("StartSel", _START),
        ("StopSel", _STOP),
        ("MaxWords", 30),
        ("MinWords", 12),
        ("MaxFragments", 2),
        ("FragmentDelimiter", " … "),
    )
)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _normalised(expression) -> Func:
    # The expression the trigram indexes are built on (see search/migrations/0001).
    return Func(Lower(expression), function="kip_unaccent", output_field=TextField())


class Matches(Func):
    """``vector @@ query`` for a query given as SQL (the ORM's lookup wants ``SearchQuery`` objects)."""

    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()


def _matching(kind: Kind, user, parsed: ParsedQuery) -> QuerySet:
    """The rows of ``kind`` the reader may see that match, annotated with ``rank`` when ranked."""
    rows = kind.rows(user)
    if not _postgres():
        return _matching_fallback(rows, kind, parsed)
    tsquery = parsed.tsquery()
    if tsquery is None:
        return rows.none()
    condition = Q(Matches(F("search_vector"), tsquery))
    rank = SearchRank(F("search_vector"), tsquery)
    if parsed.is_plain and kind.fuzzy:
        text = _normalised(Value(parsed.positive))
        rows = rows.alias(search_title=_normalised(F(kind.title_field)))
        condition |= Q(search_title__trigram_word_similar=text)
        rank = rank + TrigramWordSimilarity(text, "search_title") * Value(TYPO_WEIGHT)
    return rows.filter(condition).annotate(rank=rank)


def _matching_fallback(rows: QuerySet, kind: Kind, parsed: ParsedQuery) -> QuerySet:
    # The SQLite quick start has no full-text search: every word somewhere in the fields.
    if not parsed.words:
        return rows.none()

    def word(value: str) -> Q:
        return reduce(or_, [Q(**{f"{name}__icontains": value}) for name in kind.fallback_fields])

    return rows.filter(reduce(and_, [word(value) for value in parsed.words])).annotate(
        rank=Value(0.0, output_field=FloatField())
    )


def count_by_kind(*, kinds: list[Kind], user, parsed: ParsedQuery) -> dict[str, int]:
    """How many rows of each kind match, in one query."""
    if not kinds:
        return {}
    parts, params = [], []
    for kind in kinds:
        sql, kind_params = _matching(kind, user, parsed).order_by().values("pk").query.sql_with_params()
        # ``sql`` is compiled by the ORM, the values stay bound parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS matching)")  # noqa: S608
        params.extend(kind_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        counts = cursor.fetchone()
    return {kind.key: count for kind, count in zip(kinds, counts, strict=True)}


@dataclass
class Result:
    kind: str
    label: str
    title: str
    url: str
    context: str
    context_url: str
    snippet: SafeString


def snippet_html(text: str | None) -> SafeString:
    """A snippet as HTML: the text escaped, matches in <mark> (the only markup it may carry)."""
    text = _MARKDOWN.sub(lambda match: match.group(1) or " ", text or "")
    marked = escape(" ".join(text.split())).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(marked.replace(_START, "").replace(_STOP, ""))  # noqa: S308 - escaped above


def _ranked_rows(kind: Kind, user, parsed: ParsedQuery) -> QuerySet:
    """Matching rows by relevance (title above text), each annotated with its raw ``snippet``."""
    rows = _matching(kind, user, parsed).order_by("-rank", "-pk")
    if not _postgres():
        return rows.annotate(snippet=Substr(kind.fallback_fields[1], 1, 240))
    tsquery = parsed.tsquery()
    if tsquery is None:
        return rows.none()
    document = kind.document()
    config = RawSQL("%s::regconfig", [parsed.config])
    return rows.annotate(
        snippet=Func(
            config, document, tsquery, Value(HEADLINE_OPTIONS), function="ts_headline", output_field=TextField()
        )
    )


def ranked(*, kind: Kind, user, parsed: ParsedQuery, start: int, stop: int) -> list[Result]:
    """Rows ``start:stop`` of ``kind`` by relevance, as result lines with their snippet."""
    return [
        Result(kind=kind.key, label=str(kind.label), snippet=snippet_html(row.snippet), **kind.line(row))
        for row in _ranked_rows(kind, user, parsed)[start:stop]
    ]


def guide_entries(*, query: str, language: str | None = None) -> QuerySet:
    """Published guide entries matching ``query`` by relevance, for the guide's own search (public)."""
    parsed = parse(clean(query), language=language)
    return _ranked_rows(KINDS["guide"], None, parsed)


class RankedPage:
    """A sequence the paginator can slice without counting again (the count is known)."""

    def __init__(self, *, kind: Kind, user, parsed: ParsedQuery, count: int):
        self.kind, self.user, self.parsed, self.total = kind, user, parsed, count

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[Result]:
        return ranked(kind=self.kind, user=self.user, parsed=self.parsed, start=index.start, stop=index.stop)


PAGE_SIZE = 20
PREVIEW_SIZE = 5


@dataclass
class KindSummary:
    key: str
    label: str
    count: int
    results: list[Result]


@contextmanager
def _index_preferred():
    """Run the page's queries with sequential scans discouraged (PostgreSQL only).

    The planner costs ``@@`` as a cheap operator and does not count decompressing every row's
    vector, so for a common word (one row in six) it picks a sequential scan: measured 136 ms
    against 4 ms through the GIN index at 10,000 entries (bench/search.py).
    """
    if not _postgres():
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            yield
        finally:
            cursor.execute("RESET enable_seqscan")


def search_page(*, user, q: str, kind: str = "", page: str | int | None = 1, language: str | None = None) -> dict:
    """Everything the search page shows for a query: counts per kind and the ranked results.

    With no ``kind`` (or an unknown one) each kind shows its best few results; with one, its
    results come a page at a time.
    """
    query = clean(q)
    kinds = kinds_for(user)
    selected = KINDS.get(kind) if kind in {k.key for k in kinds} else None
    context = {
        "query": query,
        "too_short": 0 < len(query) < MIN_LENGTH,
        "truncated": len(" ".join(q.split())) > MAX_LENGTH,
    }
    context.update({"kind": selected.key if selected else "", "summaries": [], "page": None, "total": 0})
    context["kinds"] = [(k.key, str(k.label)) for k in kinds]
    parsed = parse(query, language=language)
    if len(query) < MIN_LENGTH or not parsed.words:
        context["nothing_to_find"] = bool(query) and len(query) >= MIN_LENGTH
        return context
    with _index_preferred():
        return _search_results(context, kinds=kinds, selected=selected, user=user, parsed=parsed, page=page)


def _search_results(context: dict, *, kinds, selected, user, parsed, page) -> dict:
    counts = count_by_kind(kinds=kinds, user=user, parsed=parsed)
    context["total"] = sum(counts.values())
    context["counts"] = [(k.key, str(k.label), counts[k.key]) for k in kinds]
    if selected is not None:
        ranked_rows = RankedPage(kind=selected, user=user, parsed=parsed, count=counts[selected.key])
        context["page"] = Paginator(ranked_rows, PAGE_SIZE).get_page(page)
    else:
        context["summaries"] = [
            KindSummary(
                key=k.key,
                label=str(k.label),
                count=counts[k.key],
                results=ranked(kind=k, user=user, parsed=parsed, start=0, stop=PREVIEW_SIZE),
            )
            for k in kinds
            if counts[k.key]
        ]
    return context
