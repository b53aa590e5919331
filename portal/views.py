"""The composed pages: the dashboard (the search has its own app, ``search``)."""

from django.shortcuts import redirect, render

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
