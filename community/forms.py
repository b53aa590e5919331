from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import MemberState
from .languages import LANGUAGES
from .models import Organisation, User, canonical_time_zone, time_zone_choices
from .photos import prepare_photo
from .pickers import find_field
from .rules import is_guide_editor
from .services import PROFILE_FIELDS


class SignupExtraForm(forms.Form):
    """Fields asked at sign-up on top of email and password."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("As your colleagues in the network know you."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    # Filled in by the browser (static/js/site.js) so that times show in the newcomer's zone.
    time_zone = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput(attrs={"data-time-zone": ""}))

    field_order = ["display_name", "email", "password1", "password2"]

    def clean_time_zone(self):
        # Browsers may name a zone by an older alias ("Asia/Calcutta"): keep the zone it stands for.
        return canonical_time_zone(self.cleaned_data.get("time_zone", "").strip()) or ""

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"].strip()
        fields = ["display_name"]
        if self.cleaned_data.get("time_zone"):
            user.time_zone = self.cleaned_data["time_zone"]
            fields.append("time_zone")
        user.save(update_fields=fields)


class ProfileForm(forms.ModelForm):
    """A member's profile, privacy choices and preferences. Saved by ``services.profile_update``."""

    languages = forms.MultipleChoiceField(
        label=_("Languages I speak"), choices=LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )
    expertise = forms.CharField(
        label=_("Areas of expertise"),
        required=False,
        max_length=1000,
        help_text=_("Separate areas with commas, e.g. “employer engagement, GDPR, event design”."),
        widget=forms.TextInput(attrs={"list": "expertise-suggestions", "autocomplete": "off", "data-tag-input": ""}),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, up to 5 MB. We resize it and remove its metadata."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
    # Only the canonical zones, grouped by region: no "Factory", "localtime" or "US/Eastern".
    time_zone = forms.ChoiceField(label=_("My time zone"), choices=time_zone_choices)

    class Meta:
        model = User
        fields = list(PROFILE_FIELDS)
        labels = {
            "display_name": _("Your name"),
            "organisation": _("My centre"),
            "organisation_other": _("My centre is not listed: its name"),
            "bio": _("Short bio"),
            "preferred_language": _("Language of the site and of emails"),
            "notify_reminders": _("Reminders before meetings"),
            "notify_meeting_changes": _("Changes to meetings I answered and cancellations"),
            "notify_guide_review": _("Guide editors: a contribution submitted or resubmitted for review"),
            "theme_updates_frequency": _(
                "Theme updates: changes to themes I proposed, support or present; new themes looking for "
                "presenters and new questions (in a digest)"
            ),
            "guide_updates_frequency": _(
                "Guide updates: reviews of my contributions; newly published guide entries (in a digest)"
            ),
            "meeting_news_frequency": _("New meetings, and minutes published (in a digest)"),
        }
        help_texts = {
            "bio": _(
                "A few lines on your work and what you can share. Markdown: *italic*, **bold**, [links](https://…)."
            ),
            "listed_in_directory": _("If unticked, members can still open your profile from your themes and meetings."),
        }
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("-is_network_team", "name")
        self.fields["organisation"].empty_label = _("— choose your centre —")
        # static/js/time-zone.js offers the browser's zone first, and chooses it for a member who
        # has not chosen one yet (still on UTC, the default); a zone saved under an older alias
        # shows as the zone it stands for.
        zone_attrs = {"data-browser-zone": _("This browser's time zone")}
        if not self.is_bound:
            stored = self.initial.get("time_zone") or "UTC"
            self.initial["time_zone"] = canonical_time_zone(stored) or "UTC"
            if stored == "UTC":
                zone_attrs["data-browser-zone-preselect"] = ""
        self.fields["time_zone"].widget.attrs.update(zone_attrs)
        if self.instance.pk and not self.is_bound:
            self.initial["languages"] = [row.code for row in self.instance.languages_spoken.all()]
            self.initial["expertise"] = ", ".join(sorted(self.instance.expertise.names(), key=str.lower))
        # Only editors are told of contributions sent for review; anyone else's choice stays as it is.
        if not (self.instance.pk and is_guide_editor(self.instance)):
            del self.fields["notify_guide_review"]
        # Alphabetical in the reader's language.
        self.fields["languages"].choices = sorted(LANGUAGES, key=lambda choice: str(choice[1]).lower())

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return prepare_photo(upload) if upload else None

    def clean_expertise(self):
        # Commas only separate areas: “event design” is one area, not two.
        names, seen = [], set()
        for raw in (self.cleaned_data.get("expertise") or "").split(","):
            name = " ".join(raw.split())
            if name and name.lower() not in seen:
                seen.add(name.lower())
                names.append(name)
        if len(names) > 15:
            raise forms.ValidationError(_("Choose at most 15 areas of expertise."))
        if any(len(name) > 60 for name in names):
            raise forms.ValidationError(_("Keep each area under 60 characters."))
        return names

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation") and cleaned.get("organisation_other", "").strip():
            self.add_error("organisation_other", _("Choose your centre from the list or type its name, not both."))
        return cleaned


class MembershipForm(forms.Form):
    """A facilitator's decision on an account: the target state and an optional message."""

    to = forms.ChoiceField(choices=MemberState.choices)
    message = forms.CharField(
        label=_("Message to the member (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CentreResolveForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Centre"), queryset=Organisation.objects.order_by("name"))


class AccountDeleteForm(forms.Form):
    """Asks for the password (or, for an account without one, the email) before deleting."""

    confirmation = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            self.fields["confirmation"] = forms.CharField(label=_("Type your email address"))

    def clean_confirmation(self):
        value = self.cleaned_data["confirmation"]
        if self.user.has_usable_password():
            if not self.user.check_password(value):
                raise forms.ValidationError(_("This is not your password."))
        elif value.strip().lower() != self.user.email.lower():
            raise forms.ValidationError(_("This is not the email address of your account."))
        return value


class BuddyForm(forms.Form):
    """A facilitator picks a newcomer's buddy among approved members (suggested or found)."""

    buddy = forms.ModelChoiceField(
        label=_("Buddy"),
        queryset=User.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a buddy."), "invalid_choice": _("Choose an approved member.")},
    )
    find = find_field()

    def __init__(self, *args, newcomer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buddy"].queryset = User.objects.approved().exclude(pk=newcomer.pk)
