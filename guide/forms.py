from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from meetings.enums import MeetingState
from meetings.models import Meeting, Resource
from themes.enums import ThemeState
from themes.models import Theme

from .enums import Credit
from .models import Contribution

BODY_MAX = 20_000


def _resource_label(resource) -> str:
    meeting = resource.meeting
    day = date_format(timezone.localtime(meeting.starts_at), "DATE_FORMAT")
    return _("%(title)s — %(meeting)s, %(date)s") % {"title": resource.title, "meeting": meeting.title, "date": day}


class ContributionForm(forms.ModelForm):
    """What a member writes; the version field protects against editing an outdated copy."""

    licence_consent = forms.BooleanField(
        label=_("I agree that this text is published in the guide under its licence (CC BY-SA 4.0)."),
        error_messages={"required": _("The guide can only publish texts whose authors agree to its licence.")},
    )
    credit = forms.ChoiceField(label=_("Credit"), choices=Credit.choices, widget=forms.RadioSelect, initial=Credit.NAME)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Set only when offering a translation; the author cannot change it afterwards.
    translation_of = forms.ModelChoiceField(
        queryset=Contribution.objects.published().filter(translation_of__isnull=True),
        widget=forms.HiddenInput,
        required=False,
    )

    class Meta:
        model = Contribution
        fields = [
            "kind",
            "title",
            "chapter",
            "body",
            "centre",
            "source_theme",
            "source_meeting",
            "source_resource",
            "language",
            "credit",
            "licence_consent",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 14, "maxlength": BODY_MAX})}

    def __init__(self, *args, submitting: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # A draft may wait for the consent; what goes to the editors may not.
        self.fields["licence_consent"].required = submitting
        # Left out, the language stays what it was (the author's, for a new contribution).
        self.fields["language"].required = False
        self.fields["body"].validators.append(MaxLengthValidator(BODY_MAX))
        self.fields["body"].error_messages["required"] = _("Write the text of your contribution.")
        self.fields["centre"].queryset = self.fields["centre"].queryset.order_by("name")
        self.fields["source_theme"].queryset = Theme.objects.exclude(
            state__in=[ThemeState.DECLINED, ThemeState.WITHDRAWN]
        ).order_by("-created_at")
        self.fields["source_meeting"].queryset = Meeting.objects.filter(state=MeetingState.PUBLISHED).order_by(
            "-starts_at"
        )
        # Resources of a draft or cancelled meeting are not for members to see.
        self.fields["source_resource"].queryset = (
            Resource.objects.filter(meeting__state=MeetingState.PUBLISHED)
            .select_related("meeting")
            .order_by("-created_at")
        )
        # Several meetings share resources of the same title: name the meeting and its date.
        self.fields["source_resource"].label_from_instance = _resource_label
        for name in ("source_theme", "source_meeting", "source_resource"):
            self.fields[name].required = False
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            del self.fields["translation_of"]

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(_("Write the text of your contribution."))
        return body

    def clean(self):
        data = super().clean()
        original = data.get("translation_of")
        if original is not None and data.get("language") == original.language:
            self.add_error("language", _("A translation must be in another language than the original."))
        return data

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give your contribution a title."))
        return title


class PreviewForm(forms.Form):
    body = forms.CharField(required=False, max_length=BODY_MAX)


class TransitionCommentForm(forms.Form):
    """The admin's intermediate page: one comment sent to every author of the selection."""

    comment = forms.CharField(
        label=_("Comment for the author(s)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Sent by email in the author's language. Required to request changes or reject."),
    )

    def __init__(self, *args, needs_comment: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_comment = needs_comment
        self.fields["comment"].required = needs_comment
        self.fields["comment"].error_messages["required"] = _("Please explain why, in a comment for the author.")


class GuideSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the guide"), required=False, max_length=200)
