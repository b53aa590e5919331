import zoneinfo

from django.conf import settings
from django.utils import timezone, translation

from . import services
from .rules import is_member


class MemberPreferencesMiddleware:
    """Show dates in the member's time zone and pages in the member's language.

    The language cookie (set by the language switcher) wins over the saved
    preference, so a member can look at the other language for a moment.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and user.preferred_language:
                translation.activate(user.preferred_language)
                request.LANGUAGE_CODE = translation.get_language()
        else:
            timezone.deactivate()
        return self.get_response(request)


class OnboardingReadMiddleware:
    """Note the first time a signed-in member reads the guide's onboarding chapter (a first step).

    The chapter's page belongs to the guide, which community does not import: the page is
    recognised by its URL name and slug (``settings.ONBOARDING_CHAPTER_SLUG``). Once noted,
    later views write nothing.
    """

    VIEW_NAME = "guide:chapter"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if (
            response.status_code == 200
            and match is not None
            and match.view_name == self.VIEW_NAME
            and match.kwargs.get("slug") == settings.ONBOARDING_CHAPTER_SLUG
            and user is not None
            and user.is_authenticated
            and user.onboarding_read_at is None
            and is_member(user)
        ):
            services.onboarding_mark_read(member=user)
        return response
