"""Forms of the meeting pages. Rules live in the services; forms turn their errors into messages."""

import zoneinfo
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import User, time_zone_choices
from community.pickers import find_field, search_of, show_only

from .enums import AgendaKind, RSVPResponse
from .models import AgendaItem, Meeting
from .services import validate_online_url
from .uploads import MAX_UPLOAD_BYTES, allowed_extensions_text, validate_upload


class TimeZoneField(forms.ChoiceField):
    """Offers the canonical zones; still takes any zone the system knows (an older alias
    such as America/Montreal, kept by existing meetings and links)."""

    def valid_value(self, value) -> bool:
        return value in zoneinfo.available_timezones()


class MeetingForm(forms.Form):
    """Title, local date and times in a chosen zone, place or link, capacity, description."""

    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    time_zone = TimeZoneField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("The times above are in this zone; members see the meeting in their own zone."),
    )
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("The video-call address, starting with https://."),
    )
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"), required=False, min_value=1, help_text=_("Leave empty for no limit.")
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=_("Markdown.")
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The language the title and description are in."),
    )

    def __init__(self, *args, meeting: Meeting | None = None, now: datetime | None = None, **kwargs):
        self.meeting = meeting
        self.now = now or timezone.now()
        super().__init__(*args, **kwargs)
        if meeting is not None and not self.is_bound:
            zone = zoneinfo.ZoneInfo(meeting.time_zone)
            local_start = meeting.starts_at.astimezone(zone)
            local_end = meeting.ends_at.astimezone(zone)
            self.initial.update(
                title=meeting.title,
                date=local_start.date(),
                start_time=local_start.time().replace(second=0, microsecond=0),
                end_time=local_end.time().replace(second=0, microsecond=0),
                time_zone=meeting.time_zone,
                online_url=meeting.online_url,
                place=meeting.place,
                capacity=meeting.capacity,
                description=meeting.description,
                language=meeting.language,
            )

    # Where each refusal of the scheduling services shows on this form (by its code).
    SERVICE_ERROR_FIELDS = {
        "end_before_start": "end_time",
        "past": "date",
        "too_far": "date",
        "scheme": "online_url",
    }

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's refusal beside the field it is about; what was typed stays."""
        for each in error.error_list:
            self.add_error(self.SERVICE_ERROR_FIELDS.get(each.code), each.message % (each.params or {}))

    def clean(self):
        # Only turns the local date, times and zone into a start and a length: whether they are
        # acceptable is for the services (``meeting_create``, ``meeting_reschedule``) to say.
        data = super().clean()
        date, start, end, zone = (data.get(k) for k in ("date", "start_time", "end_time", "time_zone"))
        if not (date and start and end and zone):
            return data
        tz = zoneinfo.ZoneInfo(zone)
        starts_at = datetime.combine(date, start, tzinfo=tz)
        ends_at = datetime.combine(date, end, tzinfo=tz)
        # Subtract in UTC so a meeting across a clock change lasts what the clock says.
        data["starts_at"] = starts_at
        data["duration_minutes"] = int(
            (ends_at.astimezone(zoneinfo.ZoneInfo("UTC")) - starts_at.astimezone(zoneinfo.ZoneInfo("UTC")))
            / timedelta(minutes=1)
        )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            **({"language": data["language"]} if data.get("language") else {}),
            "starts_at": data["starts_at"],
            "duration_minutes": data["duration_minutes"],
            "time_zone": data["time_zone"],
            "online_url": data["online_url"],
            "place": data["place"],
            "capacity": data["capacity"],
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Members see it on the meeting page and in their calendar."),
    )


class RSVPForm(forms.Form):
    response = forms.ChoiceField(choices=RSVPResponse.choices)


def _member_choices():
    return User.objects.approved().select_related("organisation").order_by("display_name", "pk")


class LeadChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.organisation})" if obj.organisation_id else obj.display_name


class AgendaItemForm(forms.ModelForm):
    leads = LeadChoiceField(
        label=_("Leading members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    find = find_field()

    class Meta:
        model = AgendaItem
        fields = ["kind", "title", "duration_minutes", "leads"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leads"].queryset = _member_choices()
        # The item's leads and the members found are listed, not the whole community.
        current = list(self.instance.leads.values_list("pk", flat=True)) if self.instance.pk else []
        show_only(self, "leads", proposed=current, query=search_of(self))
        self.fields["duration_minutes"].min_value = 1
        self.fields["duration_minutes"].widget.attrs["min"] = 1
        if not self.instance.pk:
            self.initial.setdefault("kind", AgendaKind.OTHER)


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Present"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    find = find_field()

    def __init__(self, *args, members, proposed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members
        self.fields["present"].label_from_instance = lambda obj: (
            f"{obj.display_name} — {obj.organisation}" if obj.organisation_id else obj.display_name
        )
        show_only(self, "present", proposed=proposed, query=search_of(self))


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6}), help_text=_("Markdown.")
    )


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Short description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    file = forms.FileField(label=_("or a file"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Up to %(size)d MB: %(types)s.") % {
            "size": MAX_UPLOAD_BYTES // (1024 * 1024),
            "types": allowed_extensions_text(),
        }

    def clean_url(self):
        url = self.cleaned_data["url"]
        validate_online_url(url)
        return url

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_upload(upload)
        return upload

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not data.get("url") and not data.get("file"):
            raise ValidationError(_("Give a link or choose a file."))
        if data.get("url") and data.get("file"):
            raise ValidationError(_("Give either a link or a file, not both."))
        return data


class ResourceSearchForm(forms.Form):
    q = forms.CharField(label=_("Search resources"), required=False, max_length=200)


class ActionForm(forms.Form):
    """One action agreed at the meeting, on the minutes page. ``owners`` are (pk, name) pairs, read
    once for the whole page."""

    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Action"), max_length=500, required=False)
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int, required=False, empty_value=None)
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    remove = forms.BooleanField(label=_("Remove"), required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—"), *owners]

    def clean(self):
        data = super().clean()
        if data.get("text", "").strip() and not data.get("remove") and not data.get("owner"):
            self.add_error("owner", _("Choose who does it."))
        return data


ActionFormSet = forms.formset_factory(ActionForm, extra=3, max_num=60, absolute_max=60, validate_max=True)
