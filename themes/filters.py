"""The backlog's query parameters: ``q``, ``reason``, ``status``, ``topic``, ``language``, ``sort``.

An unknown value is ignored rather than refused, so a stale link still shows themes.
"""

import django_filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import selectors
from .enums import CLOSED_STATES, ThemeReason, ThemeSort, ThemeState
from .models import Theme

ALL = "all"


def _select():
    return forms.Select(attrs={"class": "form-select"})


class ThemeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    reason = django_filters.ChoiceFilter(
        label=_("Reason"), choices=ThemeReason.choices, empty_label=_("Any reason"), widget=_select()
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[*ThemeState.choices, (ALL, _("All, including withdrawn and declined"))],
        empty_label=_("Current themes"),
        method="filter_status",
        widget=_select(),
    )
    topic = django_filters.CharFilter(label=_("Topic"), method="filter_topic")
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=settings.LANGUAGES, empty_label=_("Any language"), widget=_select()
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=ThemeSort.choices, empty_label=None, method="filter_sort", widget=_select()
    )

    class Meta:
        model = Theme
        fields = ["q", "reason", "status", "topic", "language", "sort"]

    def filter_search(self, queryset, name, value):
        return selectors.search_themes(queryset, value)

    def filter_status(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(state=value)

    def filter_topic(self, queryset, name, value):
        return selectors.with_topic(queryset, value)

    def filter_sort(self, queryset, name, value):
        return selectors.order_themes(queryset, value)

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        if not data.get("status"):
            # Without a status, withdrawn and declined themes stay out of the way.
            queryset = queryset.exclude(state__in=CLOSED_STATES)
        if not data.get("sort"):
            queryset = selectors.order_themes(queryset, ThemeSort.NEWEST)
        return super().filter_queryset(queryset)

    @property
    def is_filtered(self) -> bool:
        data = getattr(self.form, "cleaned_data", {})
        return any(data.get(name) for name in ("q", "reason", "status", "topic", "language"))
