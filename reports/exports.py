"""The report's files: each table as CSV and XLSX, a meeting's attendance sheet as CSV and PDF.

Spreadsheets run what looks like a formula: a text cell a member wrote (a meeting's title, a
centre's name) that starts with ``=``, ``+``, ``-`` or ``@`` is written with a leading quote in
the CSV, and as a plain text cell (never a formula) in the XLSX.
"""

import csv
import io
import re
from datetime import date, datetime

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from guide.pdf import load_engine

from .tables import MONTH, Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_STYLESHEET = "css/reports.print.css"


def csv_safe(value):
    """A cell's value with a quote before a text that a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _file_value(value, kind: str):
    """A value as the CSV writes it: months as 2026-03, days as 2026-03-14, the rest as it is."""
    if isinstance(value, date) and kind == MONTH:
        return value.strftime("%Y-%m")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def _csv_bytes(header: list, rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_safe(str(cell)) for cell in header])
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    # With the byte-order mark, spreadsheet programs read the accents as UTF-8.
    return out.getvalue().encode("utf-8-sig")


def table_csv(table: Table) -> bytes:
    rows = [[_file_value(v, c.kind) for v, c in zip(row, table.columns, strict=True)] for row in table.rows]
    if table.total is not None:
        rows.append([_file_value(v, c.kind) for v, c in zip(table.total, table.columns, strict=True)])
    return _csv_bytes([c.label for c in table.columns], rows)


def _sheet_title(title: str) -> str:
    # A worksheet's name: at most 31 characters, none of []:*?/\ .
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31]


def table_xlsx(table: Table) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(table.title))
    bold = Font(bold=True)

    def cell(value, kind: str = "", strong: bool = False):
        item = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            item.data_type = "s"  # text stays text, even when it starts with "="
        elif isinstance(value, date):
            item.number_format = "yyyy-mm" if kind == MONTH else "yyyy-mm-dd"
        if strong:
            item.font = bold
        return item

    sheet.append([cell(str(c.label), strong=True) for c in table.columns])
    for row in table.rows:
        sheet.append([cell(v, c.kind) for v, c in zip(row, table.columns, strict=True)])
    if table.total is not None:
        sheet.append(
            [cell(v if v != "" else None, c.kind, strong=True) for v, c in zip(table.total, table.columns, strict=True)]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table_filename(table: Table, period_label: str, extension: str) -> str:
    return f"{table.slug}_{period_label}.{extension}"


def sheet_filename(meeting, extension: str) -> str:
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    return f"attendance_{day}_{slugify(meeting.title)[:60] or meeting.pk}.{extension}"


def sheet_csv(people: list[dict]) -> bytes:
    header = [_("Name"), _("Centre"), _("Country"), pgettext("attendance sheet column", "Present")]
    rows = [[p["name"], p["centre"], p["country"], _("Yes") if p["present"] else _("No")] for p in people]
    return _csv_bytes(header, rows)


def sheet_pdf(meeting, people: list[dict]) -> bytes:
    """The attendance sheet laid out as a PDF (``guide.pdf.PdfUnavailable`` where WeasyPrint cannot load)."""
    html_class, css_class = load_engine()
    html = render_to_string(
        "reports/attendance_sheet_pdf.html",
        {
            "meeting": meeting,
            "people": people,
            "present": sum(1 for p in people if p["present"]),
            "printed_at": datetime.now(tz=timezone.get_current_timezone()),
        },
    )
    path = finders.find(SHEET_STYLESHEET)
    stylesheets = [css_class(filename=path)] if path else []
    return html_class(string=html).write_pdf(stylesheets=stylesheets)
