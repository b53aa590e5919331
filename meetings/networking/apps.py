from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkingConfig(AppConfig):
    """Speed networking at a meeting (stays under ``meetings/``: its URLs and templates do)."""

    name = "meetings.networking"
    label = "networking"
    verbose_name = _("Speed networking")
