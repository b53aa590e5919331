from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("resources/", views.resource_library, name="resources"),
    path("resources/<int:pk>/remove/", views.resource_remove, name="resource_remove"),
    path("resources/<int:pk>/file/", views.resource_file, name="resource_file"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("calendar/regenerate/", views.calendar_feed_regenerate, name="feed_regenerate"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/publish/", views.meeting_publish, name="publish"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("<int:pk>/answers/", views.meeting_answers, name="answers"),
    path("<int:pk>/ical/", views.meeting_ical, name="ical"),
    path("<int:pk>/agenda/", views.agenda, name="agenda"),
    path("<int:pk>/agenda/<int:item_pk>/", views.agenda_item_edit, name="agenda_item"),
    path("<int:pk>/agenda/<int:item_pk>/remove/", views.agenda_item_remove, name="agenda_item_remove"),
    path("<int:pk>/agenda/<int:item_pk>/move/", views.agenda_item_move, name="agenda_item_move"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/minutes/unpublish/", views.minutes_unpublish, name="minutes_unpublish"),
    path("<int:pk>/minutes/history/", views.minutes_history, name="minutes_history"),
    path("<int:pk>/resources/new/", views.resource_add, name="resource_add"),
]
