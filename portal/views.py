"""The composed pages: the dashboard (the search has its own app, ``search``)."""

from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from community.enums import DIGEST_TOPICS
from community.fragments import MEMBER_PAGES, kept_for_reader, with_token
from community.receivers import DIRECTORY
from community.rules import is_facilitator, is_guide_editor, is_member
from guide.cache import GUIDE
from meetings.kept import MEETINGS
from themes.kept import CARDS

from . import composition
from .kept import changes_at

# The families a member's dashboard depends on (see ``portal.kept``).
DASHBOARD_FAMILIES = (MEMBER_PAGES, GUIDE, DIRECTORY, CARDS, MEETINGS)


def home(request):
    """The landing page for visitors, the dashboard for members."""
    if not request.user.is_authenticated:
        return render(request, "portal/landing.html")
    if not is_member(request.user):
        return redirect("community:waiting")
    return render(request, "portal/dashboard.html", {"body": _dashboard_body(request)})


def _dashboard_body(request) -> str:
    """The dashboard's panels, kept per member (see ``portal.kept``) but for facilitators and editors."""
    user = request.user

    def rendered(token: str) -> tuple[str, float]:
        now = timezone.now()
        panels = composition.dashboard_panels(user)
        context = {"panels": panels, "summary": _since_last_visit(user), "csrf_token": token}
        html = render_to_string("portal/includes/_dashboard_body.html", context, request)
        return html, changes_at(panels, now).timestamp()

    visit = user.previous_visit_at.timestamp() if user.previous_visit_at else ""
    fresh = bool(request.GET) or is_facilitator(user) or is_guide_editor(user)
    html = kept_for_reader(request, ("dashboard", user.pk, visit), DASHBOARD_FAMILIES, rendered, fresh=fresh)
    return with_token(request, html)


def _since_last_visit(user) -> dict | None:
    """What a digest would gather, for every topic, from the end of the member's previous visit to now."""
    since = user.previous_visit_at
    if since is None:
        return None
    now = timezone.now()
    windows = {str(topic): (since, now) for topic in DIGEST_TOPICS}
    sections = [section for section in composition.digest_sections(user, windows) if section["items"]]
    return {"since": since, "sections": sections}
