"""Each member's secret personal calendar feed."""

from django.conf import settings
from django.urls import reverse

from community.models import User

from ..models import CalendarFeed, new_calendar_token


def calendar_feed_get(*, member: User) -> CalendarFeed:
    """The member's feed, created with a fresh secret token the first time."""
    feed, _created = CalendarFeed.objects.get_or_create(member=member)
    return feed


def calendar_feed_url(*, member: User) -> str:
    """The absolute address of the member's personal feed (created on first use)."""
    token = calendar_feed_get(member=member).token
    return settings.SITE_URL + reverse("meetings:feed", args=[token])


def calendar_feed_regenerate(*, member: User) -> CalendarFeed:
    """Replace the secret token: the old feed address stops working at once."""
    feed = calendar_feed_get(member=member)
    feed.token = new_calendar_token()
    feed.save(update_fields=["token", "created_at"])
    return feed
