"""What the community app adds to the composed pages (listed in ``portal.composition``)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from . import seed, selectors
from .receivers import DIRECTORY
from .rules import is_facilitator


def seed_demo(stdout) -> None:
    seed.seed_accounts(stdout)
    seed.seed_community(stdout)


def dashboard_panels(user) -> list[dict]:
    """The welcome panel: what is left to fill in on the profile, the directory, sign-ups to approve."""
    labels = {
        "job_title": _("job title"),
        "centre": _("centre"),
        "country": _("country"),
        "languages": _("languages"),
        "expertise": _("areas of expertise"),
        "bio": _("short bio"),
    }
    missing = [labels[key] for key, done in selectors.profile_completion(user) if not done]
    return [
        {
            "template": "community/panels/_welcome.html",
            "missing": missing,
            "pairings": selectors.buddy_pairings_of(user),
            "member_count": DIRECTORY.cached(DIRECTORY.key("count"), lambda: selectors.directory_members().count()),
            "pending_count": selectors.pending_members().count() if is_facilitator(user) else 0,
        }
    ]


def first_steps(member) -> list[dict]:
    """A newcomer's first step in the community app: a complete profile."""
    return [
        {
            "key": "profile",
            "label": _("Complete your profile"),
            "url": reverse("community:profile_edit"),
            "done": all(done for _key, done in selectors.profile_completion(member)),
        }
    ]


def search(query, user) -> list[dict]:
    """Members listed in the directory whose profile matches the query."""
    members = selectors.members_matching(selectors.directory_members(), query)[:20]
    return [
        {
            "kind": _("Members"),
            "title": member.display_name,
            "url": member.get_absolute_url(),
            "excerpt": " · ".join(part for part in (member.job_title, member.centre_name) if part),
        }
        for member in members
    ]


def export_personal_data(user) -> dict:
    pairings = selectors.buddy_pairings_of(user)
    return {
        "account": {
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "time_zone": user.time_zone,
            "membership": user.state,
            "membership_changed_at": user.state_changed_at.isoformat() if user.state_changed_at else None,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "notifications": {
                "reminders": user.notify_reminders,
                "meeting_changes": user.notify_meeting_changes,
                "guide_review": user.notify_guide_review,
                "theme_updates": user.theme_updates_frequency,
                "guide_updates": user.guide_updates_frequency,
                "meeting_news": user.meeting_news_frequency,
            },
        },
        "profile": {
            "job_title": user.job_title,
            "centre": user.organisation.name if user.organisation_id else None,
            "centre_not_listed": user.organisation_other,
            "city": user.city,
            "country": user.country.code or None,
            "languages": sorted(user.languages_spoken.values_list("code", flat=True)),
            "expertise": sorted(user.expertise.names()),
            "bio": user.bio,
            "photo": f"{settings.SITE_URL}{user.photo_url}" if user.photo else None,
            "privacy": {
                "show_email": user.show_email,
                "show_photo": user.show_photo,
                "listed_in_directory": user.listed_in_directory,
            },
        },
        "first_steps": {
            "onboarding_chapter_read_at": user.onboarding_read_at.isoformat() if user.onboarding_read_at else None,
            "buddy": pairings["buddy"].display_name if pairings["buddy"] else None,
            "buddy_of": [newcomer.display_name for newcomer in pairings["newcomers"]],
        },
    }
