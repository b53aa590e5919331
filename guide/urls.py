from django.urls import path

from . import views

app_name = "guide"

urlpatterns = [
    path("", views.toc, name="toc"),
    path("guide.pdf", views.guide_pdf, name="pdf"),
    path("contribute/", views.contribute, name="contribute"),
    path("contribute/sources/", views.sources, name="sources"),
    path("contribute/coauthors/", views.coauthor_choices, name="coauthor_choices"),
    path("preview/", views.preview, name="preview"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/edit/", views.edit, name="edit"),
    path("coauthor/<int:pk>/", views.coauthor, name="coauthor"),
    path("mine/<int:pk>/delete/", views.delete, name="delete"),
    path("mine/<int:pk>/<slug:action>/", views.transition, name="transition"),
    path("<slug:slug>/", views.chapter, name="chapter"),
]
