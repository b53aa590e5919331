from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The composed pages (dashboard, search) and the composition of the shared ones.

    The top app: it imports the others, none imports it (config/tests/test_import_graph.py).
    """

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from community import slots as community_slots
        from meetings import slots as meetings_slots
        from meetings.reminders import slots as reminders_slots
        from meetings.reminders.services.digests import digest_closing_create

        from . import composition, first_steps

        community_slots.fill(
            profile_sections_of=composition.profile_sections,
            export_of=composition.export_personal_data,
            erase_of=composition.erase_personal_data,
            close_digest_of=digest_closing_create,
            onboarding_chapter_path_of=first_steps.onboarding_chapter_path,
        )
        meetings_slots.fill(
            meeting_sections_of=composition.meeting_sections, section_families_of=composition.MEETING_SECTION_FAMILIES
        )
        reminders_slots.fill(digest_sections_of=composition.digest_sections)

        from . import kept

        kept.connect()
