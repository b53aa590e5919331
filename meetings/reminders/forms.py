from django import forms
from django.utils.translation import gettext_lazy as _

from . import schedule


class ReminderOffsetsForm(forms.Form):
    offsets = forms.CharField(
        label=_("Reminders before the start"),
        required=False,
        max_length=200,
        help_text=_(
            "Delays separated by commas, for example “14 days, 2 days, 1 hour” (from 10 minutes to 8 weeks). "
            "The first reminder also goes to members who have not answered yet, with one-click answers. "
            "Leave empty to send no reminder."
        ),
    )

    def clean_offsets(self) -> list[int]:
        return schedule.parse_offsets(self.cleaned_data["offsets"])
