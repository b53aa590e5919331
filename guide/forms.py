from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from community.models import User
from community.pickers import find_field, search_of, show_only

from . import selectors
from .enums import CoAuthorCredit, Credit
from .models import Contribution

BODY_MAX = 20_000


def _day(meeting) -> str:
    return date_format(timezone.localtime(meeting.starts_at), "DATE_FORMAT")


def _resource_label(resource) -> str:
    meeting = resource.meeting
    return _("%(title)s — %(meeting)s, %(date)s") % {
        "title": resource.title,
        "meeting": meeting.title,
        "date": _day(meeting),
    }


def _meeting_label(meeting) -> str:
    return _("%(meeting)s, %(date)s") % {"meeting": meeting.title, "date": _day(meeting)}


SOURCE_FINDERS = {
    "source_theme": selectors.themes_found,
    "source_meeting": selectors.meetings_found,
    "source_resource": selectors.resources_found,
}
SOURCE_FIELDS = tuple(SOURCE_FINDERS)


class ContributionForm(forms.ModelForm):
    """What a member writes; the version field protects against editing an outdated copy."""

    licence_consent = forms.BooleanField(
        label=_("I agree that this text is published in the guide under its licence (CC BY-SA 4.0)."),
        error_messages={"required": _("The guide can only publish texts whose authors agree to its licence.")},
    )
    credit = forms.ChoiceField(label=_("Credit"), choices=Credit.choices, widget=forms.RadioSelect, initial=Credit.NAME)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    find_sources = find_field(
        label=_("Find a source"),
        help_text=_("Words of a theme, a meeting or a resource title; press “Find” to list them below."),
    )
    coauthors = forms.ModelMultipleChoiceField(
        label=_("Co-authors"),
        queryset=User.objects.approved().select_related("organisation").order_by("display_name", "pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members who wrote or lived this with you. Each is asked, and credited only if they agree."),
    )
    find_coauthors = find_field(label=_("Find a co-author"))
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

    def __init__(self, *args, submitting: bool = True, author=None, coauthor_ids=(), by_coauthor=False, **kwargs):
        super().__init__(*args, **kwargs)
        # A draft may wait for the consent; what goes to the editors may not.
        self.fields["licence_consent"].required = submitting
        # Left out, the language stays what it was (the author's, for a new contribution).
        self.fields["language"].required = False
        self.fields["body"].validators.append(MaxLengthValidator(BODY_MAX))
        self.fields["body"].error_messages["required"] = _("Write the text of your contribution.")
        self.fields["centre"].queryset = self.fields["centre"].queryset.order_by("name")
        # Hundreds of themes, meetings and resources: each list shows the chosen one and those
        # the search finds (every one of them is still accepted).
        self.fields["source_theme"].queryset = selectors.source_themes()
        self.fields["source_meeting"].queryset = selectors.source_meetings()
        self.fields["source_resource"].queryset = selectors.source_resources()
        # Several meetings share resources of the same title: name the meeting and its date.
        self.fields["source_resource"].label_from_instance = _resource_label
        self.fields["source_meeting"].label_from_instance = _meeting_label
        query = search_of(self, "find_sources")
        self.sources_query = query
        self.sources_found = 0
        for name, find in SOURCE_FINDERS.items():
            self.fields[name].required = False
            self.sources_found += len(show_only(self, name, query=query, find=find))
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            del self.fields["translation_of"]
        if by_coauthor:
            # A co-author changes the text; the author's own choices stay the author's.
            for name in ("licence_consent", "credit", "centre", "coauthors", "find_coauthors"):
                del self.fields[name]
            return
        if author is not None:
            self.fields["coauthors"].queryset = self.fields["coauthors"].queryset.exclude(pk=author.pk)
        if not self.is_bound and coauthor_ids and not self.initial.get("coauthors"):
            self.initial["coauthors"] = list(coauthor_ids)
        self.coauthors_query = search_of(self, "find_coauthors")
        self.coauthors_found = show_only(self, "coauthors", query=self.coauthors_query)

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


class CoAuthorAnswerForm(forms.Form):
    """A member named as co-author says whether they agree to be credited, and how."""

    credit = forms.ChoiceField(
        label=_("Credit"), choices=CoAuthorCredit.choices, widget=forms.RadioSelect, initial=CoAuthorCredit.NAME
    )


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
