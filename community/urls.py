from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("waiting/", views.waiting, name="waiting"),
]
