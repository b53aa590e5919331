# Included in the "meetings" namespace by config/urls.py (names such as "meetings:reminders").
from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/reminders/", views.reminders_manage, name="reminders"),
    path("<int:pk>/rsvp/<str:token>/<slug:response>/", views.reminder_rsvp, name="reminder_rsvp"),
]
