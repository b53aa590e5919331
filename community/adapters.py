from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from .services import username_from


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
        # for from a browser in another language).
        site = SimpleNamespace(name="Keep in Pact", domain=urlsplit(settings.SITE_URL).netloc)
        language = getattr(context.get("user"), "preferred_language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, {**context, "current_site": site})
