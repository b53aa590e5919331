"""Small helpers shared by the theme views."""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from ..models import Theme

PAGE_SIZE = 20


def _theme(pk: int) -> Theme:
    return get_object_or_404(Theme.objects.select_related("proposer"), pk=pk)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(theme: Theme, anchor: str = ""):
    return redirect(reverse("themes:detail", args=[theme.pk]) + anchor)
