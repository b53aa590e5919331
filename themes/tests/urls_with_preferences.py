"""The project's routes plus stand-ins for pages other parts of the project provide.

Notification emails link to ``community:profile_edit`` and a presented theme links to
``guide:contribute``; while those pages are missing from this code base, these
stand-ins answer so the themes pages and emails can be rendered and checked.
"""

from django.http import HttpResponse
from django.urls import include, path
from django.urls.resolvers import URLResolver

from community import urls as community_urls
from config import urls as project_urls
from guide import urls as guide_urls


def _stand_in(request):
    return HttpResponse("")


STAND_INS = {
    "community": ("members/", community_urls, path("me/edit/", _stand_in, name="profile_edit")),
    "guide": ("guide/", guide_urls, path("contribute/", _stand_in, name="contribute")),
}


def _with_stand_in(pattern):
    if isinstance(pattern, URLResolver) and pattern.namespace in STAND_INS:
        prefix, module, stand_in = STAND_INS[pattern.namespace]
        names = {getattr(p, "name", None) for p in module.urlpatterns}
        extra = [] if stand_in.name in names else [stand_in]
        return path(prefix, include(([*module.urlpatterns, *extra], pattern.namespace)))
    return pattern


urlpatterns = [_with_stand_in(pattern) for pattern in project_urls.urlpatterns]
