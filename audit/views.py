from django.core.paginator import Paginator
from django.shortcuts import render

from community.access import facilitator_required

from . import selectors
from .enums import AuditKind


@facilitator_required
def trail(request):
    """Facilitators read who took which decision, and when; ``kind`` filters, ``page`` pages."""
    kind = request.GET.get("kind", "")
    page = Paginator(selectors.audit_entries(kind=kind), 50).get_page(request.GET.get("page"))
    return render(request, "audit/trail.html", {"page": page, "kind": kind, "kinds": AuditKind.choices})
