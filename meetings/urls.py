from django.urls import include, path

app_name = "meetings"

urlpatterns: list = [
    path("<int:meeting_pk>/networking/", include("meetings.networking.urls")),
]
