from django.urls import path

from . import views

app_name = "networking"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:session_pk>/", views.session_detail, name="session"),
    path("<int:session_pk>/edit/", views.session_edit, name="edit"),
    path("<int:session_pk>/draw/", views.session_draw, name="draw"),
    path("<int:session_pk>/swap/", views.session_swap, name="swap"),
    path("<int:session_pk>/control/", views.session_control, name="control"),
    path("<int:session_pk>/live/", views.live, name="live"),
    path("<int:session_pk>/presenter/", views.presenter, name="presenter"),
    path("<int:session_pk>/me/", views.my_table, name="me"),
    path("<int:session_pk>/follow-ups/", views.follow_up_save, name="follow_up"),
    path("<int:session_pk>/follow-ups/<int:pk>/delete/", views.follow_up_delete, name="follow_up_delete"),
]
