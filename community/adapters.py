import ipaddress
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.utils import translation

from .services import username_from


def on_site(url: str) -> str:
    """The same link on ``SITE_URL``: links never carry the host a request happened to name."""
    site = urlsplit(settings.SITE_URL)
    parts = urlsplit(url)
    return urlunsplit((site.scheme, site.netloc, parts.path, parts.query, parts.fragment))


def client_ip_from(meta: dict, trusted_proxy_count: int) -> str:
    """The client's address: the one the outermost of ``trusted_proxy_count`` proxies saw.

    Each trusted proxy appends the address it received from to X-Forwarded-For, so the
    client is the ``trusted_proxy_count``-th entry from the right; entries further left are
    whatever the client chose to send. A request with fewer entries did not come through
    the proxies: its own peer address is used.
    """
    if trusted_proxy_count > 0:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= trusted_proxy_count:
            try:
                return str(ipaddress.ip_address(forwarded[-trusted_proxy_count]))
            except ValueError:
                pass  # a proxy that writes something else is misconfigured: use the peer
    return meta.get("REMOTE_ADDR", "")


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The name and language are known before the username is generated from them.
        user.display_name = form.cleaned_data.get("display_name", "").strip()
        language = translation.get_language() or "en"
        user.preferred_language = language.split("-")[0]
        return super().save_user(request, user, form, commit=commit)

    def populate_username(self, request, user):
        user.username = username_from(user.display_name or user.email.split("@")[0])

    def send_mail(self, template_prefix, email, context):
        # Account emails name the platform, not whichever host the request came through, and
        # speak the member's chosen language when the account is known (a password reset asked
        # for from a browser in another language). Every link in them points at SITE_URL.
        site = SimpleNamespace(name="Keep in Pact", domain=urlsplit(settings.SITE_URL).netloc)
        links = {
            key: on_site(value)
            for key, value in context.items()
            if key.endswith("_url") and isinstance(value, str) and "://" in value
        }
        language = getattr(context.get("user"), "preferred_language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, {**context, **links, "current_site": site})

    def _get_login_attempts_cache_key(self, request, **credentials):
        # The per-account lockout counts failures of the address alone: keyed on the request's
        # host (as allauth does), another spelling of the host would start a fresh count.
        return (credentials.get("email") or credentials.get("username") or "").lower()

    def get_client_ip(self, request):
        return client_ip_from(request.META, settings.TRUSTED_PROXY_COUNT) or super().get_client_ip(request)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        # Staff, facilitators and guide editors keep their second factor (they may replace it
        # by regenerating recovery codes, not remove it).
        from .security import needs_two_factors

        return not needs_two_factors(authenticator.user)
