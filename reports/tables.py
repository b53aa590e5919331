"""A report's table: its columns, its rows of plain values, its total, and how to chart it.

The page, the CSV and the XLSX files are written from the same ``Table``, so that they always
give the same numbers. Values stay plain (``date``, ``str``, ``int``): each output formats them
its own way (the page in the viewer's language and date style, the files in ISO form).
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import formats

# What a column holds; it tells each output how to write the value.
TEXT = "text"
NUMBER = "number"
MONTH = "month"
DAY = "day"


@dataclass
class Column:
    label: str
    kind: str = NUMBER
    # Whether the chart draws this column (as one series); the first text column labels the bars.
    charted: bool = True


@dataclass
class Table:
    slug: str
    title: str
    description: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    # A last row of totals (its first cell a label), or None.
    total: list | None = None
    # How the page draws it: "bar" (one bar per row) or "hbar" (horizontal bars, for long labels).
    chart: str = "bar"
    note: str = ""

    @property
    def label_columns(self) -> list[int]:
        return [i for i, column in enumerate(self.columns) if column.kind != NUMBER]

    def shown(self, value, kind: str) -> str:
        """A value as the page shows it, in the active language."""
        if value is None:
            return "—"
        if kind == MONTH and isinstance(value, date):
            return formats.date_format(value, "YEAR_MONTH_FORMAT")
        if kind == DAY and isinstance(value, date):
            return formats.date_format(value, "DATE_FORMAT")
        if kind == NUMBER:
            return formats.number_format(value)
        return str(value)

    def page_rows(self) -> list[list[tuple[str, bool]]]:
        """Each row as the page shows it: (text, whether it is a number) per cell."""
        return [
            [(self.shown(v, c.kind), c.kind == NUMBER) for v, c in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]

    def page_total(self) -> list[tuple[str, bool]] | None:
        if self.total is None:
            return None
        return [
            (self.shown(v, c.kind) if v != "" else "", c.kind == NUMBER)
            for v, c in zip(self.total, self.columns, strict=True)
        ]

    def chart_data(self) -> dict:
        """What static/js/reports.js draws: one label per row, one series per charted number column."""
        first = self.label_columns[0]
        labels = [self.shown(row[first], self.columns[first].kind) for row in self.rows]
        series = [
            {"label": str(column.label), "data": [row[i] or 0 for row in self.rows]}
            for i, column in enumerate(self.columns)
            if column.kind == NUMBER and column.charted
        ]
        return {"type": self.chart, "labels": labels, "series": series}
