from django.urls import path, re_path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.glance, name="glance"),
    re_path(r"^(?P<slug>[a-z-]+)\.(?P<extension>csv|xlsx)$", views.table_download, name="table"),
    re_path(r"^meetings/(?P<pk>[0-9]+)/attendance\.(?P<extension>csv|pdf)$", views.attendance_sheet, name="attendance"),
]
