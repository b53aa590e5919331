"""The period a report covers: this year, the last 12 months, since the start, or a date range.

Days are the viewer's days: a period runs from midnight of its first day to midnight after its
last one, in the viewer's time zone (the one the middleware activates), and the database
compares UTC instants with those bounds.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django import forms
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

THIS_YEAR = "year"
LAST_12_MONTHS = "12m"
SINCE_THE_START = "all"
DATE_RANGE = "range"

PERIOD_CHOICES = [
    (THIS_YEAR, _("This year")),
    (LAST_12_MONTHS, _("Last 12 months")),
    (SINCE_THE_START, _("Since the start")),
    (DATE_RANGE, _("Between two dates")),
]

# Dates outside these bounds are refused: nothing happened before, and days past the last one
# could not be turned into instants.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)


@dataclass(frozen=True)
class Period:
    kind: str
    # The first and last day shown (the first is None since the start: the data says when it began).
    first_day: date | None
    last_day: date
    # The instants compared in the database: [start, end); None for no bound.
    start: datetime | None
    end: datetime | None

    def q(self, field: str) -> Q:
        """Rows whose ``field`` (a date-time lookup path) falls in the period."""
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{field}__gte": self.start})
        if self.end is not None:
            condition &= Q(**{f"{field}__lt": self.end})
        return condition

    @property
    def query(self) -> dict:
        """The query string that asks for this period again (for the download links)."""
        if self.kind == DATE_RANGE:
            return {"period": self.kind, "from": self.first_day.isoformat(), "to": self.last_day.isoformat()}
        return {"period": self.kind}

    @property
    def label(self) -> str:
        """The period in words, in the active language and its date style."""
        last = formats.date_format(self.last_day, "DATE_FORMAT")
        if self.kind == THIS_YEAR:
            return str(self.last_day.year)
        if self.first_day is None:
            return _("Since the start, until %(last)s") % {"last": last}
        return _("%(first)s to %(last)s") % {"first": formats.date_format(self.first_day, "DATE_FORMAT"), "last": last}

    @property
    def file_label(self) -> str:
        """The period as a file name's part: ``2026``, ``2025-03-02_2026-03-01``, ``until_2026-03-01``."""
        if self.kind == THIS_YEAR:
            return str(self.last_day.year)
        if self.first_day is None:
            return f"until_{self.last_day.isoformat()}"
        return f"{self.first_day.isoformat()}_{self.last_day.isoformat()}"


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def period_for(kind: str, *, first: date | None = None, last: date | None = None, today: date | None = None) -> Period:
    """The period of that kind as of ``today`` (the viewer's today by default)."""
    today = today or timezone.localdate()
    if kind == THIS_YEAR:
        first, last = date(today.year, 1, 1), date(today.year, 12, 31)
    elif kind == LAST_12_MONTHS:
        first, last = today - relativedelta(years=1) + timedelta(days=1), today
    elif kind == SINCE_THE_START:
        return Period(kind=kind, first_day=None, last_day=today, start=None, end=None)
    elif first is None or last is None:
        raise ValueError("a date range needs its two days")
    return Period(kind=kind, first_day=first, last_day=last, start=_midnight(first), end=_midnight(last + timedelta(1)))


class PeriodForm(forms.Form):
    """The period filter of the report (a GET form: ``period``, and ``from`` and ``to`` for a range)."""

    period = forms.ChoiceField(
        label=_("Period"), choices=PERIOD_CHOICES, initial=THIS_YEAR, required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: these two fields are declared here, under the names of the query string.
        day = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        limits = {"min": EARLIEST_DAY.isoformat(), "max": LATEST_DAY.isoformat()}
        self.fields["from"] = forms.DateField(
            label=_("From"), required=False, widget=day, input_formats=["%Y-%m-%d"], help_text=_("First day included.")
        )
        self.fields["to"] = forms.DateField(
            label=_("To"), required=False, widget=day, input_formats=["%Y-%m-%d"], help_text=_("Last day included.")
        )
        for name in ("from", "to"):
            self.fields[name].widget.attrs.update(limits)
            self.fields[name].error_messages["invalid"] = _("Enter a real date, for example 2026-03-31.")

    def clean(self):
        data = super().clean()
        kind = data.get("period") or THIS_YEAR
        data["period"] = kind
        if kind != DATE_RANGE:
            # The two days only matter for a range: what is left in them otherwise is not an error.
            for name in ("from", "to"):
                self.errors.pop(name, None)
            return data
        first, last = data.get("from"), data.get("to")
        for name, day in (("from", first), ("to", last)):
            if day is not None and not (EARLIEST_DAY <= day <= LATEST_DAY):
                self.add_error(name, _("Choose a day between the years 1900 and 2999."))
        if not self.errors:
            if first is None and "from" not in self.errors:
                self.add_error("from", _("Give the first day of the range."))
            if last is None and "to" not in self.errors:
                self.add_error("to", _("Give the last day of the range."))
            if first and last and first > last:
                self.add_error("to", _("The last day comes before the first one."))
        return data

    def chosen_period(self) -> Period:
        """The period asked for (call after ``is_valid()``)."""
        data = self.cleaned_data
        if data["period"] == DATE_RANGE:
            return period_for(DATE_RANGE, first=data["from"], last=data["to"])
        return period_for(data["period"])
