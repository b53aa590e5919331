"""The published guide as one PDF, laid out in parts and joined.

Laying out the whole guide as one WeasyPrint document grows faster than the guide: at
10,000 entries it took minutes and gigabytes. The guide is therefore rendered in parts of
at most ``PART_SIZE`` entries (a chapter, or a slice of a long one), each laid out, written
and freed before the next, then joined with pypdf. The memory of a build is that of one part
plus the finished file, whatever the size of the guide.

The pages are numbered across the parts: the front matter (title page and contents) is laid
out first to know how many pages it takes, each part starts its page counter where the
previous one ended, and the contents are laid out again at the end with the page numbers and
links of the entries, which only the laid-out parts know.

WeasyPrint is imported only in ``load_engine``, so that the site runs on a host without its
system libraries (the view then answers with a clear page).
"""

import contextlib
import functools
import hashlib
import io
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Count, Max, Q, Sum
from django.template.loader import render_to_string
from django.utils import translation

from . import selectors
from .enums import ContributionState
from .models import Chapter

STYLESHEET = "css/guide.print.css"
# Bump when the PDF templates change in a way the stylesheet does not show: old editions are then rebuilt.
LAYOUT_VERSION = "2"
# Entries laid out together: enough to keep the per-document cost small, few enough to bound memory.
PART_SIZE = 200
# The widest page number the contents may show while their length is measured.
PLACEHOLDER_PAGE = "88888"
# CSS pixels to PDF points.
PX_TO_PT = 0.75

logger = logging.getLogger(__name__)


class PdfUnavailable(Exception):
    """The PDF engine (or its system libraries) is missing on this host."""


def load_engine():
    """WeasyPrint's ``HTML`` and ``CSS`` classes, or ``PdfUnavailable``."""
    # Its progress messages ("Step 5 - Creating layout - Page 3") would flood the logs.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as exc:  # OSError: the Python package is there, its C libraries are not.
        raise PdfUnavailable(str(exc)) from exc
    return HTML, CSS


@functools.cache
def print_stylesheet() -> str:
    path = finders.find(STYLESHEET)
    return Path(path).read_text() if path else ""


def guide_fingerprint(*, language: str) -> str:
    """What the PDF depends on, in one aggregate query: the published entries (count, newest
    change, which ones), the chapters (count, newest change), the language and the layout.

    Any publication, unpublication, edit of a published entry or of a chapter changes it; an
    unrelated change (a draft, a review step) does not. A member's new display name reaches the
    PDF with the next change of the guide.
    """
    published = Q(contributions__state=ContributionState.PUBLISHED)
    facts = Chapter.objects.aggregate(
        chapters=Count("pk", distinct=True),
        chapters_at=Max("updated_at"),
        entries=Count("contributions", filter=published),
        entries_at=Max("contributions__updated_at", filter=published),
        entry_ids=Sum("contributions__pk", filter=published),
    )
    layout = hashlib.sha256(print_stylesheet().encode()).hexdigest()
    raw = "|".join([LAYOUT_VERSION, language, layout, *(str(facts[k]) for k in sorted(facts))])
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class RenderedGuide:
    data: bytes
    page_count: int
    entry_count: int
    seconds: float


def _batches(iterable, size: int):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Builder:
    """One build: lays out the parts one at a time and remembers only their page numbers."""

    def __init__(self, *, base_url: str):
        self.html_class, css_class = load_engine()
        self.base_url = base_url
        self.css = print_stylesheet()
        self.stylesheet = css_class(string=self.css)
        self.css_class = css_class
        self.anchor_pages: dict[str, int] = {}  # "entry-12" → page number (1-based)

    def layout(self, html: str, *, first_page: int | None = None):
        stylesheets = [self.stylesheet]
        if first_page is not None:
            stylesheets.append(self.css_class(string=f"@page :first {{ counter-reset: page {first_page}; }}"))
        return self.html_class(string=html, base_url=self.base_url).render(stylesheets=stylesheets)

    def front(self, toc, *, numbered: bool):
        pages = self.anchor_pages if numbered else None
        chapters = [
            {
                "chapter": chapter,
                "page": pages.get(f"chapter-{chapter.pk}", "") if pages else PLACEHOLDER_PAGE,
                "entries": [
                    {"pk": pk, "title": title, "page": pages.get(f"entry-{pk}", "") if pages else PLACEHOLDER_PAGE}
                    for pk, title in entries
                ],
            }
            for chapter, entries in toc
        ]
        return self.layout(render_to_string("guide/pdf/front.html", {"chapters": chapters}))

    def part(self, *, chapter: Chapter, entries, first: bool, first_page: int) -> tuple[bytes, int]:
        html = render_to_string("guide/pdf/part.html", {"chapter": chapter, "entries": entries, "first": first})
        document = self.layout(html, first_page=first_page)
        for offset, page in enumerate(document.pages):
            for name in page.anchors:
                self.anchor_pages.setdefault(name, first_page + offset)
        return document.write_pdf(), len(document.pages)


@contextlib.contextmanager
def _quiet_missing_anchors():
    """The contents link to entries laid out in other documents: WeasyPrint would log an error per
    link (the links are added to the joined file by ``_link_contents``)."""
    weasyprint_log = logging.getLogger("weasyprint")
    level = weasyprint_log.level
    weasyprint_log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        weasyprint_log.setLevel(level)


def _link_contents(writer, front_document, anchor_pages: dict[str, int]) -> None:
    """The contents' links, to pages of the joined file (each part only knew its own pages)."""
    from pypdf.annotations import Link

    for index, page in enumerate(front_document.pages):
        # A link comes as several boxes (its text, its leader, its number): one area per target.
        areas: dict[str, list[float]] = {}
        for link_type, target, (x, y, width, height), _box in page.links:
            if link_type != "internal" or target not in anchor_pages:
                continue
            area = areas.setdefault(target, [x, y, x + width, y + height])
            area[:] = [min(area[0], x), min(area[1], y), max(area[2], x + width), max(area[3], y + height)]
        height_pt = page.height * PX_TO_PT
        for target, (left, top, right, bottom) in areas.items():
            rect = (left * PX_TO_PT, height_pt - bottom * PX_TO_PT, right * PX_TO_PT, height_pt - top * PX_TO_PT)
            link = Link(rect=rect, target_page_index=anchor_pages[target] - 1)
            writer.add_annotation(page_number=index, annotation=link)


def render_guide(*, language: str, base_url: str) -> RenderedGuide:
    """Lay out the published guide in ``language`` part by part and join the parts into one PDF."""
    from pypdf import PdfReader, PdfWriter

    started = time.perf_counter()
    builder = _Builder(base_url=base_url)
    with translation.override(language):
        toc = selectors.pdf_contents()
        front_pages = len(builder.front(toc, numbered=False).pages)
        writer = PdfWriter()
        next_page = front_pages + 1
        entry_count = 0
        parts = []
        for chapter, _entries in toc:
            for number, entries in enumerate(_batches(selectors.pdf_chapter_entries(chapter=chapter), PART_SIZE)):
                data, pages = builder.part(chapter=chapter, entries=entries, first=number == 0, first_page=next_page)
                parts.append(data)
                next_page += pages
                entry_count += len(entries)
        front = builder.front(toc, numbered=True)
        if len(front.pages) != front_pages:
            # The real numbers are never wider than the placeholder; a change here would shift every number.
            logger.warning("guide PDF: the contents took %s pages, then %s", front_pages, len(front.pages))
        with _quiet_missing_anchors():
            writer.append(PdfReader(io.BytesIO(front.write_pdf())))
        for data in parts:
            writer.append(PdfReader(io.BytesIO(data)))
        _link_contents(writer, front, builder.anchor_pages)
        writer.add_metadata({"/Title": str(_title()), "/Author": "Keep in Pact"})
        out = io.BytesIO()
        writer.write(out)
    return RenderedGuide(
        data=out.getvalue(),
        page_count=len(writer.pages),
        entry_count=entry_count,
        seconds=time.perf_counter() - started,
    )


def _title():
    from django.utils.translation import gettext

    return gettext("Guide for multi-partnership cooperation")


def site_base_url() -> str:
    return settings.SITE_URL.rstrip("/") + "/"
