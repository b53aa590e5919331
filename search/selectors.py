"""The reads of the search page: counts per kind, a ranked page of results, their snippets.

One query counts every kind at once, and one query per kind shown fetches its rows with their
rank, snippet and context: the number of queries depends on the kinds shown, never on the rows.

Results come in this order: rows whose title holds the whole query first, then by ``ts_rank``
(title above text, then how often and how close the words are), the newest row first among
equals. A page is read without ranking every match: its candidates are the best title matches
(a GIN index on the titles' part of the vectors) and, only when those are too few for the page,
the best of the other rows; a common word matching thousands of rows ranks its few hundred title
matches, not every row (bench/search.py).
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchRank, SearchVectorField, TrigramWordSimilarity
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import BooleanField, Case, F, FloatField, Func, Q, QuerySet, TextField, Value, When
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
# Title matches first (a row without a vector counts as not matching), then by rank, newest first.
ORDER = (F("title_match").desc(nulls_last=True), F("rank").desc(), F("pk").desc())


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


class TitleVector(Func):
    """The title's part of a stored vector (weight A), written as the title indexes are (search/0003)."""

    function = "ts_filter"
    template = "%(function)s(%(expressions)s, '{a}'::\"char\"[])"
    output_field = SearchVectorField()


def _fallback_condition(kind: Kind, parsed: ParsedQuery) -> Q:
    # The SQLite quick start has no full-text search: every word somewhere in the fields.
    def word(value: str) -> Q:
        return reduce(or_, [Q(**{f"{name}__icontains": value}) for name in kind.fallback_fields])

    return reduce(and_, [word(value) for value in parsed.words])


def _scores(kind: Kind, parsed: ParsedQuery, tsquery=None) -> tuple[dict, Q, dict] | None:
    """How rows of ``kind`` match and rank: (aliases, condition, ``title_match`` and ``rank``).

    ``tsquery`` is the query as SQL (``parsed.tsquery()`` unless given). None when nothing
    positive is left to look for. On SQLite every matching row ranks the same.
    """
    if not parsed.words:
        return None
    if not _postgres():
        return {}, _fallback_condition(kind, parsed), {"title_match": Value(False), "rank": Value(0.0)}
    tsquery = tsquery if tsquery is not None else parsed.tsquery()
    aliases = {}
    matches = Matches(F("search_vector"), tsquery)
    condition = Q(matches)
    rank = SearchRank(F("search_vector"), tsquery)
    if parsed.is_plain and kind.fuzzy:
        # A typo is looked for in names; a row found by its words is ranked by them alone, so
        # the name's similarity is only computed for the rows a typo found.
        text = _normalised(Value(parsed.positive))
        aliases["search_title"] = _normalised(F(kind.title_field))
        condition |= Q(search_title__trigram_word_similar=text)
        typo = TrigramWordSimilarity(text, "search_title") * Value(TYPO_WEIGHT)
        rank = Case(When(matches, then=rank), default=typo, output_field=FloatField())
    return aliases, condition, {"title_match": Matches(TitleVector(F("search_vector")), tsquery), "rank": rank}


def _matching(kind: Kind, user, parsed: ParsedQuery, tsquery=None) -> QuerySet:
    """The rows of ``kind`` the reader may see that match, annotated with ``title_match`` and ``rank``."""
    scores = _scores(kind, parsed, tsquery)
    if scores is None:
        return kind.rows(user).none()
    aliases, condition, annotations = scores
    return kind.rows(user).alias(**aliases).filter(condition).annotate(**annotations)


def _snippet(kind: Kind, parsed: ParsedQuery, tsquery=None) -> Func:
    """A row's raw snippet: ``ts_headline`` of its text (the start of its text on SQLite)."""
    if not _postgres():
        return Substr(kind.fallback_fields[1], 1, 240)
    config = RawSQL("%s::regconfig", [parsed.config])
    return Func(
        config,
        kind.document(),
        tsquery if tsquery is not None else parsed.tsquery(),
        Value(HEADLINE_OPTIONS),
        function="ts_headline",
        output_field=TextField(),
    )


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


class Search:
    """One reader's query over the kinds: its counts and ranked rows, each kind's SQL compiled once."""

    def __init__(self, *, user, parsed: ParsedQuery, tsquery_text: str | None = None):
        self.user, self.parsed = user, parsed
        # The query as PostgreSQL parsed it, when known: a literal is cheaper to plan than
        # parsing and stemming the words again in each of its many places in the page's SQL.
        self.tsquery = RawSQL("%s::tsquery", [tsquery_text]) if tsquery_text is not None else None
        self._sql: dict[str, tuple[str, tuple]] = {}

    def _matching_sql(self, kind: Kind) -> tuple[str, tuple]:
        """SQL of the matching rows' ``pk``, ``title_match`` and ``rank``, and its values."""
        if kind.key not in self._sql:
            rows = _matching(kind, self.user, self.parsed, self.tsquery)
            rows = rows.order_by().values("pk", "title_match", "rank")
            self._sql[kind.key] = rows.query.sql_with_params()
        return self._sql[kind.key]

    def counts(self, kinds: list[Kind]) -> dict[str, int]:
        """How many rows of each kind match, in one query."""
        if not kinds:
            return {}
        parts, params = [], []
        for kind in kinds:
            sql, kind_params = self._matching_sql(kind)
            # ``sql`` is compiled by the ORM, the values stay bound parameters.
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS matching)")  # noqa: S608
            params.extend(kind_params)
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            counts = cursor.fetchone()
        return {kind.key: count for kind, count in zip(kinds, counts, strict=True)}

    def _candidates(self, kind: Kind, stop: int) -> RawSQL:
        """The ``pk`` of at most ``2 × stop`` matching rows among which are the first ``stop`` by ``ORDER``.

        The best ``stop`` title matches by rank; and, only when fewer titles match (PostgreSQL
        skips that part on a one-time test), the best ``stop`` rows by rank whatever their title:
        the first ``stop`` rows are all the title matches and the best of the others, and each of
        those has fewer than ``stop`` rows ranked above it.
        """
        # ``sql`` is compiled by the ORM and ``stop`` is a number: the values stay bound parameters.
        sql, params = self._matching_sql(kind)
        stop = int(stop)
        best = f"ORDER BY m.rank DESC, m.pk DESC LIMIT {stop}"
        titles = f"SELECT m.pk FROM ({sql}) AS m WHERE m.title_match {best}"  # noqa: S608
        others = f"SELECT m.pk FROM ({sql}) AS m WHERE (SELECT COUNT(*) FROM titles) < {stop} {best}"  # noqa: S608
        union = f"WITH titles AS MATERIALIZED ({titles}) SELECT pk FROM titles UNION ALL ({others})"  # noqa: S608
        return RawSQL(union, (*params, *params))  # noqa: S611

    def rows(self, kind: Kind, start: int, stop: int) -> list:
        """Rows ``start:stop`` of ``kind`` in ``ORDER``, each with its raw ``snippet``."""
        scores = _scores(kind, self.parsed, self.tsquery)
        if scores is None or stop <= start:
            return []
        aliases, condition, annotations = scores
        # The vector is read for the rank, never sent: it is the largest column.
        rows = kind.rows(self.user).defer("search_vector").alias(**aliases)
        # The candidates match already: only their order and snippets are computed here.
        rows = rows.filter(pk__in=self._candidates(kind, stop)) if _postgres() else rows.filter(condition)
        rows = rows.annotate(**annotations, snippet=_snippet(kind, self.parsed, self.tsquery)).order_by(*ORDER)
        return list(rows[start:stop])

    def ranked(self, kind: Kind, start: int, stop: int) -> list[Result]:
        """Rows ``start:stop`` of ``kind`` as result lines with their snippet."""
        return [
            Result(kind=kind.key, label=str(kind.label), snippet=snippet_html(row.snippet), **kind.line(row))
            for row in self.rows(kind, start, stop)
        ]


def guide_entries(*, query: str, language: str | None = None) -> QuerySet:
    """Published guide entries matching ``query`` in the page's order, for the guide's own search (public).

    A queryset the guide paginates itself, so every match is ranked.
    """
    parsed = parse(clean(query), language=language)
    kind = KINDS["guide"]
    rows = _matching(kind, None, parsed)
    if not parsed.words:
        return rows
    return rows.annotate(snippet=_snippet(kind, parsed)).order_by(*ORDER)


class RankedPage:
    """A sequence the paginator can slice without counting again (the count is known)."""

    def __init__(self, *, search: Search, kind: Kind, count: int):
        self.search, self.kind, self.total = search, kind, count

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[Result]:
        return self.search.ranked(self.kind, index.start, index.stop)


PAGE_SIZE = 20
PREVIEW_SIZE = 5


@dataclass
class KindSummary:
    key: str
    label: str
    count: int
    results: list[Result]


@contextmanager
def _page_transaction(parsed: ParsedQuery):
    """Run the page's queries in one transaction with sequential scans discouraged (PostgreSQL only).

    The planner costs ``@@`` as a cheap operator and does not count decompressing every row's
    vector, so for a common word (one row in six) it picks a sequential scan: measured 136 ms
    against 4 ms through the GIN index at 10,000 entries (bench/search.py). The same statement
    parses the query once; yields its text as PostgreSQL writes a tsquery (None on SQLite).
    """
    if not _postgres():
        yield None
        return
    tsquery = parsed.tsquery()
    with transaction.atomic(), connection.cursor() as cursor:
        # ``tsquery.sql`` is fixed SQL (search.query), its values stay bound parameters.
        cursor.execute(f"SELECT set_config('enable_seqscan', 'off', true), ({tsquery.sql})::text", tsquery.params)
        text = cursor.fetchone()[1]
        try:
            yield text
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
    with _page_transaction(parsed) as tsquery_text:
        search = Search(user=user, parsed=parsed, tsquery_text=tsquery_text)
        return _search_results(context, kinds=kinds, selected=selected, search=search, page=page)


def _search_results(context: dict, *, kinds, selected, search: Search, page) -> dict:
    counts = search.counts(kinds)
    context["total"] = sum(counts.values())
    context["counts"] = [(k.key, str(k.label), counts[k.key]) for k in kinds]
    if selected is not None:
        ranked_rows = RankedPage(search=search, kind=selected, count=counts[selected.key])
        context["page"] = Paginator(ranked_rows, PAGE_SIZE).get_page(page)
    else:
        context["summaries"] = [
            KindSummary(key=k.key, label=str(k.label), count=counts[k.key], results=search.ranked(k, 0, PREVIEW_SIZE))
            for k in kinds
            if counts[k.key]
        ]
    return context
