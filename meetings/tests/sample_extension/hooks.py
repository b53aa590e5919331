"""A tiny extension used by the tests to check that meeting pages render other apps' sections."""

from django.template import Template

SECTION = Template("<section class='sample-section'>{{ section.label }} for {{ meeting.title }}</section>")


def meeting_sections(meeting, viewer):
    return [{"template": SECTION, "label": f"Themes chosen by {viewer.display_name}"}]
