"""The member's visits, for the dashboard's "since your last visit".

A visit is a run of requests without a gap of ``VISIT_GAP``. The member's last request time
(``User.last_seen_at``) is rewritten at most every ``LAST_SEEN_RESOLUTION``, so most page views
write nothing; when a request comes after a longer gap, a new visit begins and its summary starts
where the previous visit ended (``User.previous_visit_at``), and stays put for the whole visit.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

LAST_SEEN_RESOLUTION = timedelta(minutes=5)
VISIT_GAP = timedelta(hours=1)


def visit_record(*, member, now=None) -> bool:
    """Note that the member is here now; returns whether the member's row was written.

    Side effects: at most one UPDATE of the member's row per ``LAST_SEEN_RESOLUTION``.
    """
    now = now or timezone.now()
    last = member.last_seen_at
    if last is not None and now - last < LAST_SEEN_RESOLUTION:
        return False
    fields = {"last_seen_at": now}
    if last is not None and now - last >= VISIT_GAP:
        fields["previous_visit_at"] = last
    get_user_model().objects.filter(pk=member.pk).update(**fields)
    for name, value in fields.items():
        setattr(member, name, value)
    return True


@receiver(user_logged_in, dispatch_uid="community.visits.start_visit")
def start_visit(sender, request, user, **kwargs):
    """Signing in is a request too: its write comes with the login's, not with the next page."""
    visit_record(member=user)


class VisitClockMiddleware:
    """Keep the signed-in member's visit clock (see ``visit_record``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            visit_record(member=user)
        return self.get_response(request)
