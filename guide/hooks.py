"""What the guide adds to the composed pages (listed in ``portal.composition``)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from community.rules import is_guide_editor, is_member

from . import selectors
from .cache import GUIDE
from .enums import OPEN_STATES

LATEST_PANEL = "guide/includes/_dashboard_latest.html"


def dashboard_panels(user) -> list[dict]:
    if not is_member(user):
        return []
    panels = [
        {
            "template": "guide/includes/_dashboard_mine.html",
            "contributions": selectors.open_contributions_of(author=user, states=OPEN_STATES),
        },
        {"template": "portal/includes/_rendered_panel.html", "html": _latest_panel()},
    ]
    if is_guide_editor(user):
        waiting, entries = selectors.awaiting_review()
        panels.append({"template": "guide/includes/_dashboard_review.html", "waiting": waiting, "entries": entries})
    return panels


def digest_sections(member, windows) -> list[dict]:
    """Guide entries published in the window of the ``guide_updates`` topic."""
    window = windows.get("guide_updates")
    if window is None:
        return []
    entries = selectors.published_between(start=window[0], end=window[1])
    return [
        {
            "topic": "guide_updates",
            "title": _("Published in the guide"),
            "items": [
                {"title": entry.title, "path": entry.get_absolute_url(), "note": entry.chapter.title}
                for entry in entries
            ],
        }
    ]


def _latest_panel() -> str:
    """The latest published entries, the same for every member: rendered once per guide version
    and language (a publish bumps the version, so no one sees the list before it)."""
    html = GUIDE.cached(
        GUIDE.key("dashboard-latest"),
        lambda: render_to_string(LATEST_PANEL, {"panel": {"entries": selectors.latest_published()}}),
    )
    return mark_safe(html)  # noqa: S308 — our own template's output, stored as rendered


def profile_sections(member, viewer) -> list[dict]:
    """The published entries this member is credited for by name (anonymous ones stay anonymous)."""
    entries = selectors.published_credited_by_name(author=member)
    if not entries:
        return []
    return [{"template": "guide/includes/_profile_contributions.html", "entries": entries}]


def meeting_sections(meeting, viewer) -> list[dict]:
    """On a meeting page: the guide entries that grew from it, and a button to write one."""
    if not is_member(viewer):
        return []
    return [
        {
            "template": "guide/includes/_meeting_section.html",
            "meeting": meeting,
            "entries": selectors.published_from_meeting(meeting=meeting),
        }
    ]


def export_personal_data(user) -> dict:
    contributions = selectors.contributions_of(author=user).select_related(
        "source_theme", "source_meeting", "source_resource"
    )
    return {
        "guide_contributions": [
            {
                "title": c.title,
                "kind": c.kind,
                "chapter": c.chapter.title,
                "centre": c.centre.name if c.centre else None,
                "body": c.body,
                "state": c.state,
                "credit": c.credit,
                "licence_consent": c.licence_consent,
                "sources": {
                    "theme": c.source_theme.title if c.source_theme else None,
                    "meeting": c.source_meeting.title if c.source_meeting else None,
                    "resource": c.source_resource.title if c.source_resource else None,
                },
                "created_at": c.created_at.isoformat(),
                "published_at": c.published_at.isoformat() if c.published_at else None,
                "review_history": [
                    {
                        "from": step.from_state,
                        "to": step.to_state,
                        "at": step.at.isoformat(),
                        "by": "you" if step.by_id == user.pk else ("a guide editor" if step.by_editor else None),
                        "comment": step.comment,
                    }
                    for step in c.steps
                ],
            }
            for c in contributions
        ],
        "guide_coauthorships": [
            {
                "title": row.contribution.title,
                "credit": row.credit,
                "consented_at": row.consented_at.isoformat() if row.consented_at else None,
                "declined_at": row.declined_at.isoformat() if row.declined_at else None,
            }
            for row in user.guide_coauthorships.select_related("contribution").order_by("created_at", "pk")
        ],
    }


def search(query, user) -> list[dict]:
    return [
        {
            "kind": _("Guide entries"),
            "title": entry.title,
            "url": reverse("guide:chapter", kwargs={"slug": entry.chapter.slug}) + f"#entry-{entry.pk}",
            "excerpt": entry.body[:300],
        }
        for entry in selectors.published_search(query=query)[:20]
    ]


def seed_demo(stdout) -> None:
    from .seed import seed_guide

    seed_guide(stdout)
