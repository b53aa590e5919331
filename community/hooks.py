"""The community app's own contributions to the shared extension points."""

from . import seed


def seed_demo(stdout) -> None:
    seed.seed_accounts(stdout)


def export_personal_data(user) -> dict:
    return {
        "account": {
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "time_zone": user.time_zone,
            "membership": user.state,
            "date_joined": user.date_joined.isoformat(),
            "notifications": {
                "reminders": user.notify_reminders,
                "meeting_changes": user.notify_meeting_changes,
                "theme_updates": user.notify_theme_updates,
                "guide_updates": user.notify_guide_updates,
            },
        }
    }
