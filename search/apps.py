from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from guide import slots

        from .selectors import guide_entries

        slots.fill(search_entries_with=guide_entries)
