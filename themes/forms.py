from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.uploads import MAX_UPLOAD_BYTES, allowed_extensions_text, validate_upload

from .enums import ThemeReason, ThemeState
from .models import ExperienceSheet, Theme


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["title", "summary", "reason", "topics", "language"]
        widgets = {
            "reason": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "summary": _("What is it about, and what would you like to learn or share? Markdown is welcome."),
            "topics": _("For example: GDPR, partnership valorisation, inter-partner links. Separate with commas."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = ThemeReason.choices  # no empty radio button
        # Left out, the language stays what it was (the proposer's, for a new theme).
        self.fields["language"].required = False


class ThemeProposeForm(ThemeForm):
    can_present = forms.BooleanField(label=_("I have lived this experience and can present it myself"), required=False)
    pitch = forms.CharField(
        label=_("What would you share?"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only if you can present it."),
    )


class VolunteerForm(forms.Form):
    pitch = forms.CharField(
        label=_("What would you share?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two lines: the experience you lived and what others could take from it."),
    )


class InviteForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Co-presenter"), queryset=get_user_model().objects.none())

    def __init__(self, *args, theme: Theme, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        taken = theme.presenter_roles.filter(slot__isnull=False).exclude(member=None).values("member")
        self.fields["member"].queryset = (
            get_user_model().objects.approved().exclude(pk=inviter.pk).exclude(pk__in=taken).order_by("display_name")
        )


class TransitionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, to: str, **kwargs):
        super().__init__(*args, **kwargs)
        if to == ThemeState.DECLINED:
            self.fields["note"].required = True
            self.fields["note"].label = _("Reason for declining")
            self.fields["note"].help_text = _("The proposer and the interested members will read it.")


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        starts = timezone.localtime(obj.starts_at)
        return f"{obj.title} — {starts:%Y-%m-%d %H:%M} ({timezone.get_current_timezone_name()})"


class ScheduleForm(forms.Form):
    meeting = MeetingChoiceField(label=_("Meeting"), queryset=None, empty_label=None)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class SheetForm(forms.ModelForm):
    class Meta:
        model = ExperienceSheet
        fields = ["activity", "strengths", "weaknesses", "transferability"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}
        help_texts = {
            "activity": _("What you did or used, with whom, and how it ran. Markdown is welcome."),
            "weaknesses": _("What did not work, what to watch out for."),
        }


# The same limits as a meeting's resources: the file is served from our own site.
MAX_ATTACHMENT_BYTES = MAX_UPLOAD_BYTES


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    file = forms.FileField(label=_("or a file"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Up to %(size)d MB: %(types)s.") % {
            "size": MAX_ATTACHMENT_BYTES // (1024 * 1024),
            "types": allowed_extensions_text(),
        }

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and file.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(
                _("This file is too large (at most %(size)s MB): share a link to it instead."),
                params={"size": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            )
        if file:
            # A page or a program uploaded here would be served by the site itself.
            validate_upload(file)
        return file

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("url")) == bool(data.get("file")):
            raise forms.ValidationError(_("Give either a link or a file."))
        return data


class QuestionForm(forms.Form):
    body = forms.CharField(label=_("Your question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES, required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Reply (optional)"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
