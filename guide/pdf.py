"""The published guide as one PDF, laid out in parts and joined.

Laying out the whole guide as one WeasyPrint document grows faster than the guide: at 10,000
entries it took minutes and gigabytes, beyond any task's limit. The guide is therefore laid
out in parts of at most ``PART_SIZE`` entries (a chapter, or a slice of a long one), each in
its own task (see ``services.guide_pdf_build``), written to the storage and freed; a last step
lays out the front matter (title page and contents) and joins everything with pypdf. A step's
time and memory are those of one part, whatever the size of the guide.

The chapters are numbered from 1 across the parts (each part starts its page counter where the
previous one ended) and the front matter apart, in roman numerals as in a book: the contents,
laid out last, then give the page of each entry and link to it.

Each language has its own PDF: the entries a reader of that language reads (an entry's
published translation into it, else the original with its language named), the chapters'
titles and introductions as the editors translated them, and the cover, contents, running
title and page furniture from the interface's catalogue.

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
from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.template.loader import render_to_string
from django.utils import translation

from . import selectors
from .enums import ContributionState
from .models import Chapter, ChapterTranslation

STYLESHEET = "css/guide.print.css"
# Bump when the PDF templates change in a way the stylesheet does not show: old editions are then rebuilt.
LAYOUT_VERSION = "3"
# Entries laid out together: enough to keep the per-document cost small, few enough to bound memory.
PART_SIZE = 200
# CSS pixels to PDF points.
PX_TO_PT = 0.75


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


@functools.cache
def catalogue_digest(language: str) -> str:
    """A digest of the interface's compiled catalogue for ``language`` (none for the source
    language): new translations of the cover or the contents give a new PDF."""
    digest = hashlib.sha256()
    for folder in settings.LOCALE_PATHS:
        path = Path(folder) / language / "LC_MESSAGES" / "django.mo"
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def guide_fingerprint(*, language: str) -> str:
    """What the PDF in ``language`` depends on, in two aggregate queries: the entries a reader
    of it reads (the published originals and the published translations into it: count,
    newest change, which ones), the chapters and their translations into it (count, newest
    change), the language, the layout and the catalogue.

    Any publication, unpublication, edit of a published entry or of a chapter, and of a
    translation into this language, changes it; an unrelated change (a draft, a review step,
    a translation into another language) does not. A member's new display name reaches the
    PDF with the next change of the guide.
    """
    shown = Q(contributions__state=ContributionState.PUBLISHED) & (
        Q(contributions__translation_of__isnull=True) | Q(contributions__language=language)
    )
    facts = Chapter.objects.aggregate(
        chapters=Count("pk", distinct=True),
        chapters_at=Max("updated_at"),
        entries=Count("contributions", filter=shown),
        entries_at=Max("contributions__updated_at", filter=shown),
        entry_ids=Sum("contributions__pk", filter=shown),
    )
    facts |= ChapterTranslation.objects.filter(language=language).aggregate(
        chapter_titles=Count("pk"), chapter_titles_at=Max("updated_at"), chapter_title_ids=Sum("pk")
    )
    layout = hashlib.sha256(print_stylesheet().encode()).hexdigest()
    raw = "|".join(
        [LAYOUT_VERSION, language, layout, catalogue_digest(language), *(str(facts[k]) for k in sorted(facts))]
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


FINGERPRINT_KEY = "guide:pdf:fingerprint:{}"
# A change through the services forgets it at once (``services.guide_changed``); the expiry only
# bounds a change made around them (a bulk update in a shell).
FINGERPRINT_SECONDS = 5 * 60


def current_fingerprint(*, language: str) -> str:
    """``guide_fingerprint``, kept in the cache: the PDF view then costs no aggregate query."""
    return cache.get_or_set(
        FINGERPRINT_KEY.format(language), lambda: guide_fingerprint(language=language), FINGERPRINT_SECONDS
    )


def forget_fingerprints() -> None:
    cache.delete_many([FINGERPRINT_KEY.format(code) for code, _name in settings.LANGUAGES])


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


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def _running_title_rule() -> str:
    """The guide's title at the top of its pages, in the current language (the stylesheet
    styles it; its text cannot live there)."""
    return f"@page {{ @top-right {{ content: {_css_string(str(_title()))}; }} }}"


class _Layout:
    """WeasyPrint with the guide's stylesheet and one font configuration for every document.

    Made inside ``translation.override`` of the PDF's language: the running title is in it.
    """

    def __init__(self, *, base_url: str):
        self.html_class, self.css_class = load_engine()
        from weasyprint.text.fonts import FontConfiguration

        self.fonts = FontConfiguration()
        self.base_url = base_url
        self.stylesheet = self.css_class(string=print_stylesheet(), font_config=self.fonts)
        self.running_title = self.css_class(string=_running_title_rule(), font_config=self.fonts)

    def render(self, html: str, *, first_page: int | None = None):
        stylesheets = [self.stylesheet, self.running_title]
        if first_page is not None:
            rule = f"@page :first {{ counter-reset: page {first_page}; }}"
            stylesheets.append(self.css_class(string=rule, font_config=self.fonts))
        return self.html_class(string=html, base_url=self.base_url).render(
            stylesheets=stylesheets, font_config=self.fonts
        )


def plan_build(*, language: str, fingerprint: str) -> dict:
    """What a build lays out, fixed when it starts: the contents and the parts (ids of entries).

    A plain dict (it travels between the build's tasks): the contents as ``[chapter id, [[entry
    id, title], ...]]``, the parts as ``[chapter id, first part of its chapter, [entry ids]]``.
    """
    toc = selectors.pdf_contents(language=language)
    parts = []
    for chapter, listed in toc:
        for number, batch in enumerate(_batches([pk for pk, _title in listed], PART_SIZE)):
            parts.append([chapter.pk, number == 0, batch])
    return {
        "language": language,
        "fingerprint": fingerprint,
        "started": time.time(),
        "contents": [[chapter.pk, [list(entry) for entry in listed]] for chapter, listed in toc],
        "parts": parts,
        "next_page": 1,
        "anchors": {},
        "files": [],
        "entries": 0,
    }


def render_part(plan: dict, *, index: int, storage, name: str) -> None:
    """Lay out part ``index`` of ``plan``, write it to ``storage`` and note its pages in ``plan``."""
    from django.core.files.base import ContentFile

    chapter_id, first, ids = plan["parts"][index]
    with translation.override(plan["language"]):
        layout = _Layout(base_url=site_base_url())
        chapter = selectors.pdf_chapters(language=plan["language"]).get(pk=chapter_id)
        entries = selectors.pdf_entries(ids=ids, language=plan["language"])
        html = render_to_string(
            "guide/pdf/part.html",
            {"chapter": chapter, "entries": entries, "first": first, "reader_language": plan["language"]},
        )
        document = layout.render(html, first_page=plan["next_page"])
        for offset, page in enumerate(document.pages):
            for anchor in page.anchors:
                plan["anchors"].setdefault(anchor, plan["next_page"] + offset)
        data = document.write_pdf()
    plan["files"].append(storage.save(name, ContentFile(data)))
    plan["next_page"] += len(document.pages)
    plan["entries"] += len(entries)


def join_parts(plan: dict, *, storage) -> RenderedGuide:
    """Lay out the front matter with the pages of the entries, and join it to the stored parts."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    with translation.override(plan["language"]):
        layout = _Layout(base_url=site_base_url())
        chapters = selectors.pdf_chapters(language=plan["language"]).in_bulk(
            [chapter_id for chapter_id, _ in plan["contents"]]
        )
        anchors = plan["anchors"]
        items = [
            {
                "chapter": chapters[chapter_id],
                "page": anchors.get(f"chapter-{chapter_id}", ""),
                "entries": [{"pk": pk, "title": title, "page": anchors.get(f"entry-{pk}", "")} for pk, title in listed],
            }
            for chapter_id, listed in plan["contents"]
            if chapter_id in chapters
        ]
        front = layout.render(render_to_string("guide/pdf/front.html", {"chapters": items}))
        writer = PdfWriter()
        with _quiet_missing_anchors():
            writer.append(PdfReader(io.BytesIO(front.write_pdf())))
        for name in plan["files"]:
            with storage.open(name, "rb") as part:
                writer.append(PdfReader(io.BytesIO(part.read())))
        front_pages = len(front.pages)
        _link_contents(writer, front, {anchor: front_pages + page for anchor, page in anchors.items()})
        writer.add_metadata({"/Title": str(_title()), "/Author": "Keep in Pact"})
        # The document's language, for screen readers and search (the parts' own catalogues are dropped).
        writer.root_object[NameObject("/Lang")] = TextStringObject(plan["language"])
        out = io.BytesIO()
        writer.write(out)
    return RenderedGuide(
        data=out.getvalue(),
        page_count=len(writer.pages),
        entry_count=plan["entries"],
        seconds=time.time() - plan["started"],
    )


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


def _title():
    from django.utils.translation import gettext

    return gettext("Guide for multi-partnership cooperation")


def site_base_url() -> str:
    return settings.SITE_URL.rstrip("/") + "/"
