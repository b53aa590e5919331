"""Community at a glance: the facilitators' figures over a period, and their downloads."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from community.access import permission_required
from guide.pdf import PdfUnavailable
from meetings.models import Meeting

from . import exports, selectors
from .periods import THIS_YEAR, PeriodForm

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _download(content: bytes, extension: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@permission_required("reports.view_reports")
def glance(request):
    """The figures of the period asked for (this year unless told), each as a chart and a table."""
    form = PeriodForm(request.GET or {"period": THIS_YEAR})
    context = {"form": form, "tables": [], "period": None}
    if form.is_valid():
        period = form.chosen_period()
        tables = selectors.report(period)
        context.update(
            period=period,
            query=urlencode(period.query),
            tables=tables,
            charts={table.slug: table.chart_data() for table in tables},
        )
    return render(request, "reports/glance.html", context)


@require_GET
@permission_required("reports.view_reports")
def table_download(request, slug: str, extension: str):
    """One table of the report as CSV or XLSX, for the period in the query string."""
    if slug not in selectors.TABLES:
        raise Http404
    form = PeriodForm(request.GET or {"period": THIS_YEAR})
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(
            _("This period could not be read: %(errors)s") % {"errors": errors},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    period = form.chosen_period()
    table = selectors.report_table(slug, period)
    content = exports.table_csv(table) if extension == "csv" else exports.table_xlsx(table)
    return _download(content, extension, exports.table_filename(table, period.file_label, extension))


@require_GET
@permission_required("reports.view_reports")
def attendance_sheet(request, pk: int, extension: str):
    """Who answered going or came to a meeting (name, centre, country, present) as CSV or PDF."""
    meeting = get_object_or_404(Meeting, pk=pk)
    people = selectors.attendance_sheet(meeting)
    if extension == "csv":
        return _download(exports.sheet_csv(people), "csv", exports.sheet_filename(meeting, "csv"))
    try:
        content = exports.sheet_pdf(meeting, people)
    except PdfUnavailable:
        return render(request, "reports/pdf_unavailable.html", {"meeting": meeting}, status=503)
    return _download(content, "pdf", exports.sheet_filename(meeting, "pdf"))
