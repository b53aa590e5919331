"""The composed pages: the dashboard (the search has its own app, ``search``)."""

from django.shortcuts import redirect, render
from django.utils import timezone

from community.enums import DIGEST_TOPICS
from community.rules import is_member

from . import composition


def home(request):
    """The landing page for visitors, the dashboard for members."""
    if not request.user.is_authenticated:
        return render(request, "portal/landing.html")
    if not is_member(request.user):
        return redirect("community:waiting")
    panels = composition.dashboard_panels(request.user)
    return render(request, "portal/dashboard.html", {"panels": panels, "summary": _since_last_visit(request.user)})


def _since_last_visit(user) -> dict | None:
    """What a digest would gather, for every topic, from the end of the member's previous visit to now."""
    since = user.previous_visit_at
    if since is None:
        return None
    now = timezone.now()
    windows = {str(topic): (since, now) for topic in DIGEST_TOPICS}
    sections = [section for section in composition.digest_sections(user, windows) if section["items"]]
    return {"since": since, "sections": sections}
