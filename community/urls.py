from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("waiting/", views.waiting, name="waiting"),
    path("pending/", views.pending, name="pending"),
    path("audit/", views.audit_trail, name="audit"),
    path("me/edit/", views.profile_edit, name="profile_edit"),
    path("me/export/", views.export, name="export"),
    path("me/delete/", views.account_delete, name="account_delete"),
    path("photos/<str:name>", views.photo, name="photo"),
    path("centres/", views.centre_list, name="centres"),
    path("centres/<slug:slug>/", views.centre_detail, name="centre"),
    path("<str:username>/", views.profile, name="profile"),
    path("<str:username>/edit/", views.profile_edit_other, name="profile_edit_other"),
    path("<str:username>/membership/", views.membership, name="membership"),
    path("<str:username>/centre/", views.centre_resolve, name="centre_resolve"),
    path("<str:username>/buddy/", views.buddy, name="buddy"),
]
