# Included from meetings/urls.py, so the names live in the "meetings" namespace.
from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/reminders/", views.reminders_manage, name="reminders"),
    path("<int:pk>/rsvp/<str:token>/<slug:response>/", views.reminder_rsvp, name="reminder_rsvp"),
]
