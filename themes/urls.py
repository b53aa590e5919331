from django.urls import path

from . import views

app_name = "themes"

urlpatterns = [
    path("", views.theme_list, name="list"),
    path("new/", views.theme_create, name="create"),
    path("<int:pk>/", views.theme_detail, name="detail"),
    path("<int:pk>/edit/", views.theme_edit, name="edit"),
    path("<int:pk>/interest/", views.theme_interest, name="interest"),
    path("<int:pk>/volunteer/", views.theme_volunteer, name="volunteer"),
    path("<int:pk>/invite/", views.presenter_invite, name="invite"),
    path("<int:pk>/invitation/", views.invitation_respond, name="invitation"),
    path("<int:pk>/presenters/<int:role_pk>/confirm/", views.presenter_confirm, name="presenter_confirm"),
    path("<int:pk>/presenters/<int:role_pk>/remove/", views.presenter_remove, name="presenter_remove"),
    path("<int:pk>/state/<slug:to>/", views.theme_transition, name="transition"),
    path("<int:pk>/schedule/", views.theme_schedule, name="schedule"),
    path("<int:pk>/sheet/", views.sheet_edit, name="sheet"),
    path("<int:pk>/sheet/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/sheet/attachments/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("attachments/<int:pk>/file/", views.attachment_file, name="attachment_file"),
    path("<int:pk>/questions/", views.question_create, name="question_create"),
    path("<int:pk>/questions/<int:question_pk>/vote/", views.question_vote, name="question_vote"),
    path("<int:pk>/questions/<int:question_pk>/answer/", views.question_answer, name="question_answer"),
    path("<int:pk>/questions/<int:question_pk>/hide/", views.question_hide, name="question_hide"),
]
