from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """What the network reports: the facilitators' figures, their charts and their exports.

    It only reads the other apps' models; portal (above it) adds its links to the meeting page.
    """

    name = "reports"
    verbose_name = _("Reports")
