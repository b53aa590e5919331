from django.urls import include, path

app_name = "meetings"

urlpatterns: list = [
    path("", include("meetings.reminders.urls")),
]
