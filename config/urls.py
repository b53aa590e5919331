from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from community import views as community_views
from meetings import urls as meetings_urls
from meetings.reminders import urls as reminders_urls
from portal import views as portal_views
from search import views as search_views

from .health import healthz
from .metrics import metrics

# The admin signs in through the accounts pages, so it shares their rate limits.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Keep in Pact"
admin.site.site_title = "Keep in Pact"

# The "meetings" namespace also holds the pages of the apps built on meetings (same paths and
# names as before they became apps): meetings itself does not include them.
meetings_patterns = [
    *meetings_urls.urlpatterns,
    path("<int:meeting_pk>/networking/", include("meetings.networking.urls")),
    *reminders_urls.urlpatterns,
]

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("privacy/", community_views.privacy, name="privacy"),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("search/", search_views.search, name="search"),
    path("members/", include("community.urls")),
    path("meetings/", include((meetings_patterns, "meetings"))),
    path("themes/", include("themes.urls")),
    path("guide/", include("guide.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
