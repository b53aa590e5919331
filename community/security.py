"""Request-level protections: exact hosts, no NUL characters, idle sessions, two factors for staff.

Each middleware is small and does one thing; the README's security section lists them.
"""

import time

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import Http404, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .rules import is_facilitator, is_guide_editor

LAST_SEEN_KEY = "kip_last_seen"
# The last-seen time is rewritten at most this often, so a page view rarely writes the session.
LAST_SEEN_RESOLUTION = 60

# Pages a privileged account without a second factor may still open: the account pages
# (where two factors are set up), switching language, the privacy notice, static files, health.
TWO_FACTOR_EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/privacy/", "/healthz", "/static/")


class ExactHostMiddleware:
    """Refuse a Host header that is not exactly one of ``ALLOWED_HOSTS`` (production).

    Django accepts any port after an allowed name (``pact.example.org:8112``); a host
    that appears in no link of ours is refused rather than served.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = getattr(settings, "EXACT_ALLOWED_HOSTS", False)
        self.hosts = {host.lower() for host in settings.ALLOWED_HOSTS}

    def __call__(self, request):
        if self.enabled:
            host = request.META.get("HTTP_HOST", "").lower()
            if host not in self.hosts:
                return HttpResponseBadRequest(_("This address is not served here."), content_type="text/plain")
        return self.get_response(request)


def _without_nul(data: QueryDict) -> QueryDict | None:
    """A copy of ``data`` with every NUL character dropped, or None when there is none."""
    if not any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data):
        return None
    clean = QueryDict(mutable=True)
    for key in data:
        clean.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in data.getlist(key)])
    clean._mutable = False
    return clean


class DropNulMiddleware:
    """Drop NUL characters from query parameters and form fields; a NUL in the path is a 404.

    PostgreSQL refuses NUL in text (a filter, a search or an admin list would answer 500),
    and no field of ours has a use for it, so it is removed before any view sees the request.
    No address of ours contains one, hence the 404 for the path.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404
        clean = _without_nul(request.GET)
        if clean is not None:
            request.GET = clean
        if request.method == "POST" and not request.content_type.startswith("application/json"):
            clean = _without_nul(request.POST)
            if clean is not None:
                request.POST = clean
        return self.get_response(request)


@receiver(user_logged_in)
def start_idle_clock(sender, request, user, **kwargs):
    """A fresh session starts its inactivity clock at sign-in."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())


class IdleSessionMiddleware:
    """Sign out a session left unused for ``SESSION_IDLE_MINUTES``."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.idle_seconds = settings.SESSION_IDLE_MINUTES * 60

    def __call__(self, request):
        if request.user.is_authenticated and self.idle_seconds:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > self.idle_seconds:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity. Please sign in again."))
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def needs_two_factors(user) -> bool:
    """Staff, facilitators and guide editors reach members' data: they need a second factor."""
    return bool(
        user.is_authenticated and (user.is_staff or user.is_superuser or is_facilitator(user) or is_guide_editor(user))
    )


def has_two_factors(user) -> bool:
    cached = getattr(user, "_has_two_factors", None)
    if cached is None:
        cached = user._has_two_factors = get_mfa_adapter().is_mfa_enabled(user)
    return cached


class RequireTwoFactorMiddleware:
    """Send a privileged account without two-factor authentication to set it up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES)
            and needs_two_factors(request.user)
            and not has_two_factors(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Your role gives you access to members' data: set up two-factor authentication "
                    "with an authenticator app before you continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
