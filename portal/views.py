"""The composed pages: the dashboard and the search across every app."""

from django.shortcuts import redirect, render

from community.access import member_required
from community.rules import is_member

from . import composition


def home(request):
    """The landing page for visitors, the dashboard for members."""
    if not request.user.is_authenticated:
        return render(request, "portal/landing.html")
    if not is_member(request.user):
        return redirect("community:waiting")
    panels = composition.dashboard_panels(request.user)
    return render(request, "portal/dashboard.html", {"panels": panels})


@member_required
def search(request):
    """Search across themes, guide entries, meetings and members: each app answers for its own."""
    # PostgreSQL text cannot hold NUL characters: drop them rather than fail.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    results = composition.search(query, request.user) if len(query) >= 2 else []
    groups: dict[str, list] = {}
    for result in results:
        groups.setdefault(str(result["kind"]), []).append(result)
    return render(request, "portal/search.html", {"query": query, "groups": groups, "count": len(results)})
