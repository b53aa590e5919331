"""The one place where member-written markdown becomes HTML."""

import re
from html import unescape

import markdown as markdown_lib
import nh3
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


def render_markdown(text: str) -> SafeString:
    """Render markdown, then keep only an allow-list of tags; links only http, https, mailto."""
    if not text:
        return mark_safe("")
    html = markdown_lib.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


def markdown_to_text(text: str) -> str:
    """The words of member-written markdown without its markup, for excerpts and cards
    (``**bold**`` becomes ``bold``); the caller escapes it like any text."""
    if not text:
        return ""
    html = markdown_lib.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    # Block ends become spaces so paragraphs and list items do not run into each other.
    html = re.sub(r"</(p|li|h\d|blockquote|pre|tr|td|th)>|<br\s*/?>", " ", html)
    words = unescape(nh3.clean(html, tags=set(), attributes={}))
    return " ".join(words.split())
