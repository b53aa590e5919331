"""The directory's filters: every value lives in the URL so a search can be shared."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from taggit.models import Tag

from . import selectors
from .languages import LANGUAGE_NAMES, language_name
from .models import Organisation

SELECT = forms.Select(attrs={"class": "form-select"})


class DirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, job title, centre, expertise…"), "maxlength": 200}
        ),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), field_name="country", empty_label=_("Any country"), widget=SELECT
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Centre"),
        field_name="organisation",
        to_field_name="slug",
        queryset=Organisation.objects.order_by("name"),
        empty_label=_("Any centre"),
        widget=SELECT,
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), field_name="languages_spoken__code", empty_label=_("Any language"), widget=SELECT
    )
    expertise = django_filters.ModelChoiceFilter(
        label=_("Expertise"),
        field_name="expertise",
        to_field_name="slug",
        queryset=Tag.objects.none(),
        empty_label=_("Any area"),
        widget=SELECT,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only values that lead somewhere: countries, languages and areas of listed members.
        # A real value asked for in the URL is offered too (profile links of members who are not
        # listed, or waiting, lead here): it finds no one rather than failing.
        data = self.data or {}
        country_codes = set(selectors.directory_countries())
        asked_country = str(data.get("country") or "")
        if countries.name(asked_country):
            country_codes.add(asked_country)
        self.filters["country"].extra["choices"] = sorted(
            ((code, countries.name(code)) for code in country_codes), key=lambda c: c[1]
        )
        language_codes = set(selectors.directory_languages())
        asked_language = str(data.get("language") or "")
        if asked_language in LANGUAGE_NAMES:
            language_codes.add(asked_language)
        self.filters["language"].extra["choices"] = sorted(
            ((code, language_name(code)) for code in language_codes), key=lambda c: c[1]
        )
        tags = selectors.member_expertise_tags(selectors.directory_members())
        if data.get("expertise"):
            tags = (tags | selectors.member_expertise_tags().filter(slug=str(data["expertise"]))).order_by("name")
        self.filters["expertise"].queryset = tags

    def search(self, queryset, name, value):
        return selectors.members_matching(queryset, value)

    @property
    def is_filtered(self) -> bool:
        return any(self.form.cleaned_data.get(name) for name in self.filters) if self.form.is_valid() else True
