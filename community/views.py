from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from . import extensions
from .access import member_required
from .rules import is_member


def home(request):
    """The landing page for visitors, the dashboard for members."""
    if not request.user.is_authenticated:
        return render(request, "community/landing.html")
    if not is_member(request.user):
        return redirect("community:waiting")
    panels = extensions.collect("dashboard_panels", request.user)
    return render(request, "community/dashboard.html", {"panels": panels})


@login_required
def waiting(request):
    """Where a signed-in person who is not (or no longer) an approved member lands."""
    if is_member(request.user):
        return redirect("home")
    return render(request, "community/waiting.html")


def privacy(request):
    return render(request, "community/privacy.html")


@member_required
def search(request):
    """Search across themes, guide entries, meetings and members: each app answers for its own."""
    query = request.GET.get("q", "").strip()[:200]
    results = extensions.collect("search", query, request.user) if len(query) >= 2 else []
    groups: dict[str, list] = {}
    for result in results:
        groups.setdefault(str(result["kind"]), []).append(result)
    return render(request, "community/search.html", {"query": query, "groups": groups, "count": len(results)})
