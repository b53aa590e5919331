"""The project's routes plus a stand-in ``community:profile_edit`` when the real one is missing."""

from django.http import HttpResponse
from django.urls import include, path
from django.urls.resolvers import URLResolver

from community import urls as community_urls
from config import urls as project_urls


def _stand_in(request):
    return HttpResponse("")


def _with_profile_edit(pattern):
    if isinstance(pattern, URLResolver) and pattern.namespace == "community":
        names = {getattr(p, "name", None) for p in community_urls.urlpatterns}
        extra = [] if "profile_edit" in names else [path("me/edit/", _stand_in, name="profile_edit")]
        return path("members/", include(([*community_urls.urlpatterns, *extra], "community")))
    return pattern


urlpatterns = [_with_profile_edit(pattern) for pattern in project_urls.urlpatterns]
