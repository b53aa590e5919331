"""The published guide as one PDF.

The HTML of the printable guide is cheap to render; turning it into a PDF is not. The PDF
is therefore cached under a fingerprint of that HTML: any change to a published entry, a
credit or a chapter gives a new fingerprint, hence a new PDF, and nothing else does.

WeasyPrint is imported only here, inside ``_render_pdf``, so that the site runs on a host
without its system libraries; the view then answers with a clear error page.
"""

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from . import selectors

CACHE_PREFIX = "guide:pdf:"
CACHE_SECONDS = 60 * 60 * 24 * 30
STYLESHEET = "css/guide.print.css"


class PdfUnavailable(Exception):
    """The PDF engine (or its system libraries) is missing on this host."""


def guide_html(*, base_url: str) -> str:
    """The whole published guide as one printable HTML document (English, the guide's language)."""
    with translation.override("en"):
        return render_to_string(
            "guide/pdf/guide.html",
            {"chapters": selectors.published_guide(), "base_url": base_url},
        )


def print_stylesheet() -> str:
    path = finders.find(STYLESHEET)
    return Path(path).read_text() if path else ""


def fingerprint(html: str, css: str) -> str:
    return hashlib.sha256(html.encode() + b"\0" + css.encode()).hexdigest()[:32]


def _render_pdf(html: str, *, css: str, base_url: str) -> bytes:
    # Its progress messages ("Step 5 - Creating layout - Page 3") would flood the logs.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as exc:  # OSError: the Python package is there, its C libraries are not.
        raise PdfUnavailable(str(exc)) from exc
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[CSS(string=css)])


def prebuild_in_background() -> bool:
    """Whether publishing should warm the PDF cache in a worker (pointless when tasks run inline)."""
    return getattr(settings, "GUIDE_PDF_PREBUILD", not settings.CELERY_TASK_ALWAYS_EAGER)


def guide_pdf(*, base_url: str) -> tuple[bytes, str]:
    """Return the PDF of the published guide and its fingerprint, building it only when the guide changed."""
    html = guide_html(base_url=base_url)
    css = print_stylesheet()
    key = fingerprint(html, css)
    data = cache.get(CACHE_PREFIX + key)
    if data is None:
        data = _render_pdf(html, css=css, base_url=base_url)
        cache.set(CACHE_PREFIX + key, data, CACHE_SECONDS)
    return data, key
