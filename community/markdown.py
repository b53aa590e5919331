"""The one place where member-written markdown becomes HTML.

A text is rendered once per version and kept, not on every page view. Why a cache and not
stored HTML columns: markdown appears in many models of several apps (guide entries, chapters,
themes, minutes, profiles), some written by the admin or by bulk updates that no service sees;
a cache keyed by a hash of the text can never show an outdated rendering (a new text is a new
key) and needs no migration nor backfill when the allow-list changes (it is part of the key).

Three levels, cheapest first:
- a small in-process memo of the latest texts (a page of 200 entries costs no network trip);
- the shared Django cache (Redis in production): a text rendered by one worker serves them all,
  and survives a restart;
- rendering: one ``Markdown`` object per thread, ``reset()`` between texts (building a new one
  each time cost about 40 % of a call; one per thread because it keeps state while it converts).
"""

import hashlib
import re
import threading
from collections import OrderedDict
from html import unescape
from importlib.metadata import version

import markdown as markdown_lib
import nh3
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["extra", "sane_lists"]
LINK_REL = "nofollow noopener noreferrer"

# Part of every cache key: a change of the rules above renders every text again.
_RULES_SOURCE = (
    sorted(ALLOWED_TAGS),
    sorted((tag, sorted(names)) for tag, names in ALLOWED_ATTRIBUTES.items()),
    sorted(URL_SCHEMES),
    EXTENSIONS,
    LINK_REL,
    version("markdown"),
    version("nh3"),
)
RULES = hashlib.sha256(repr(_RULES_SOURCE).encode()).hexdigest()[:12]
CACHE_PREFIX = f"md:{RULES}:"
CACHE_SECONDS = 60 * 60 * 24 * 30
MEMO_SIZE = 512  # texts, a few hundred kilobytes of HTML per process

_local = threading.local()
_memo: OrderedDict[str, str] = OrderedDict()
_memo_lock = threading.Lock()


def _converter() -> markdown_lib.Markdown:
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown_lib.Markdown(extensions=EXTENSIONS, output_format="html")
    return converter


def _render(text: str) -> str:
    converter = _converter()
    try:
        html = converter.convert(text)
    finally:
        # Abbreviations, footnotes and references of this text must not reach the next one.
        converter.reset()
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=LINK_REL)


def cache_key(text: str) -> str:
    return CACHE_PREFIX + hashlib.sha256(text.encode()).hexdigest()


def _remember(text: str, html: str) -> None:
    with _memo_lock:
        _memo[text] = html
        _memo.move_to_end(text)
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)


def render_markdown(text: str) -> SafeString:
    """Render markdown, then keep only an allow-list of tags; links only http, https, mailto.

    Each distinct text is rendered once and kept (see the module's docstring).
    """
    if not text:
        return mark_safe("")
    with _memo_lock:
        html = _memo.get(text)
    if html is None:
        key = cache_key(text)
        html = cache.get(key)
        if html is None:
            html = _render(text)
            cache.set(key, html, CACHE_SECONDS)
        _remember(text, html)
    return mark_safe(html)  # noqa: S308 - sanitised by nh3 in _render


def markdown_to_text(text: str) -> str:
    """The words of member-written markdown without its markup, for excerpts and cards
    (``**bold**`` becomes ``bold``); the caller escapes it like any text. Read from the kept
    rendering (``render_markdown``): a card costs no markdown conversion once its text was seen."""
    if not text:
        return ""
    # Block ends become spaces so paragraphs and list items do not run into each other.
    html = re.sub(r"</(p|li|h\d|blockquote|pre|tr|td|th)>|<br\s*/?>", " ", render_markdown(text))
    words = unescape(nh3.clean(html, tags=set(), attributes={}))
    return " ".join(words.split())
