"""What a reader typed, turned into a PostgreSQL text-search query.

The query is parsed with ``websearch_to_tsquery`` twice, in the reader's language (stems:
"partenariats" finds "partenariat") and in ``kip_simple`` (exact, unaccented words: "reseau" finds
"réseau", names, languages PostgreSQL does not stem), and the two are joined with OR. Quoted
phrases and ``or`` keep their web-search meaning.

A ``-word`` is taken out and applied to the whole query instead: a disjunction of two
web-search queries would keep a row whose stem in one language differs from the other's,
so an excluded word is excluded in every configuration, whatever the row's language.

A plain query of one to three words also matches the last word as a prefix (type-ahead) and,
through ``pg_trgm``, members' names with a typo.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQueryField
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language

MAX_LENGTH = 200
MIN_LENGTH = 2
FUZZY_MAX_WORDS = 3

SIMPLE = "kip_simple"
CONFIGS = {"en": "kip_english", "fr": "kip_french", "pt": "kip_portuguese", "es": "kip_spanish"}

_TOKEN = re.compile(r'(-?)("[^"]*"?|\S+)')
_WORD = re.compile(r"[^\W_]+")


def clean(raw: str) -> str:
    """The query as it will be searched: no NUL (PostgreSQL text cannot hold one), trimmed, bounded."""
    text = " ".join(raw.replace("\x00", "").split())
    return text[:MAX_LENGTH].strip()


def reader_config(language: str | None = None) -> str:
    """The text search configuration of the reader's language (``kip_simple`` for others)."""
    language = (language or get_language() or "").split("-")[0].lower()
    return CONFIGS.get(language, SIMPLE)


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    positive: str
    negative: tuple[str, ...] = ()
    words: tuple[str, ...] = field(default=())
    config: str = SIMPLE

    @property
    def is_plain(self) -> bool:
        """A few words and nothing else: prefix and typo tolerance apply."""
        return (
            not self.negative
            and '"' not in self.positive
            and 0 < len(self.words) <= FUZZY_MAX_WORDS
            and len(self.positive.split()) == len(self.words)
        )

    def tsquery(self) -> RawSQL | None:
        """The combined query as one SQL expression, or None when nothing positive is left to look for.

        Written as SQL with bound values rather than combined ``SearchQuery`` objects: the page
        puts it in every count, rank and snippet, and the ORM took longer to compile those trees
        than PostgreSQL took to run the queries (bench/search.py).
        """
        if not self.words:
            return None
        configs = [self.config] if self.config == SIMPLE else [self.config, SIMPLE]
        parts, params = [], []
        for config in configs:
            parts.append("websearch_to_tsquery(%s::regconfig, %s)")
            params += [config, self.positive]
        if self.is_plain and len(self.words[-1]) >= MIN_LENGTH:
            # Words only (``_WORD``): nothing in them is to_tsquery syntax.
            parts.append("to_tsquery(%s::regconfig, %s)")
            params += [SIMPLE, " & ".join([*self.words[:-1], f"{self.words[-1]}:*"])]
        sql = "(" + " || ".join(parts) + ")"
        # Rows are stemmed in their own language: an excluded word is excluded in every one.
        excluding = dict.fromkeys([*configs, *CONFIGS.values()])
        for excluded in self.negative:
            for config in excluding:
                sql = f"({sql} && !!websearch_to_tsquery(%s::regconfig, %s))"
                params += [config, excluded]
        return RawSQL(sql, params, output_field=SearchQueryField())  # noqa: S611 - fixed SQL, bound values


def parse(text: str, *, language: str | None = None) -> ParsedQuery:
    """Split a cleaned query into what to find and what to exclude."""
    positive, negative = [], []
    for sign, token in _TOKEN.findall(text):
        if sign and _WORD.search(token):
            negative.append(token)
        else:
            positive.append(sign + token)
    positive_text = " ".join(positive)
    words = tuple(word for token in positive if token.lower() != "or" for word in _WORD.findall(token.strip('"-')))
    return ParsedQuery(
        text=text, positive=positive_text, negative=tuple(negative), words=words, config=reader_config(language)
    )
