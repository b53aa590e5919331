"""The site's URLs plus the profile-edit page notification emails link to, where it does not exist yet.

Used by the guide's tests only while ``community:profile_edit`` is missing from the site.
"""

from django.urls import include, path
from django.views.generic import RedirectView

from community.urls import urlpatterns as community_patterns
from config.urls import urlpatterns as site_patterns

_stub = [path("me/edit/", RedirectView.as_view(url="/"), name="profile_edit")]

urlpatterns = [
    path("members/", include((community_patterns + _stub, "community"))),
    *[p for p in site_patterns if str(p.pattern) != "members/"],
]
