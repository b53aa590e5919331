from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from community.pickers import find_field, search_of, show_only

from .models import FollowUp, FollowUpReason, Participant, TableSize
from .services import Guest

MAX_PROMPT_LENGTH = 300
MAX_GUESTS = 200
# More members going than this, and the set-up takes them all with one tick instead of listing
# each: the page keeps its size however many come.
LISTED_AT_MOST = 60


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.organisation})" if obj.organisation_id else obj.display_name


class SessionForm(forms.Form):
    """The set-up of a session: who takes part, table size, rounds, round length, prompt cards."""

    members = MemberChoiceField(
        label=_("Members taking part"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Listed: the members going to the meeting (ticked at first) and the members you find."),
    )
    everyone_going = forms.BooleanField(label=_("Every member going to the meeting"), required=False)
    find = find_field()
    guests = forms.CharField(
        label=_("Guests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Ana Ruiz, Cité des métiers de Valencia")}),
        help_text=_("One guest a line: name, then a comma and their organisation."),
    )
    table_size = forms.TypedChoiceField(
        label=_("Table size"), choices=TableSize.choices, coerce=int, initial=TableSize.PAIRS
    )
    rounds = forms.IntegerField(label=_("Number of rounds"), min_value=1, max_value=30, initial=6)
    round_minutes = forms.IntegerField(label=_("Round length (minutes)"), min_value=1, max_value=60, initial=6)
    prompts = forms.CharField(
        label=_("Prompt cards"),
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_(
            "One card a line; round 1 shows the first card, and so on (the deck starts over when it runs out)."
        ),
    )

    def __init__(self, *args, proposed=(), editing: bool = False, **kwargs):
        """``proposed``: the members going to the meeting (a new session) or taking part already
        (``editing``); more than ``LISTED_AT_MOST`` are taken with one tick instead of listed."""
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = (
            get_user_model().objects.approved().select_related("organisation").order_by("display_name", "pk")
        )
        # A crowd going: one tick takes them all; the list holds only the members found or ticked.
        self.crowd = list(proposed) if len(proposed) > LISTED_AT_MOST else []
        if self.crowd:
            if editing:
                label = ngettext(
                    "All %(count)d member taking part now",
                    "All %(count)d members taking part now",
                    len(self.crowd),
                )
            else:
                label = ngettext(
                    "All %(count)d member going to the meeting",
                    "All %(count)d members going to the meeting",
                    len(self.crowd),
                )
            self.fields["everyone_going"].label = label % {"count": len(self.crowd)}
            self.fields["members"].label = _("Other members taking part")
            self.fields["members"].help_text = _("Listed: the members you find and tick.")
        else:
            del self.fields["everyone_going"]
        self.found = show_only(self, "members", proposed=[] if self.crowd else proposed, query=search_of(self))

    def clean_guests(self) -> list[Guest]:
        guests, problems = [], []
        for number, line in enumerate(self.cleaned_data["guests"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _comma, organisation = line.partition(",")
            name, organisation = name.strip(), organisation.strip()
            if not name or len(name) > 150 or len(organisation) > 200:
                problems.append(number)
            else:
                guests.append(Guest(name=name, organisation=organisation))
        if problems:
            raise forms.ValidationError(
                _("Line(s) %(lines)s: write a name (up to 150 characters), a comma, then an organisation."),
                params={"lines": ", ".join(str(n) for n in problems)},
            )
        if len(guests) > MAX_GUESTS:
            raise forms.ValidationError(_("At most %(max)d guests."), params={"max": MAX_GUESTS})
        return guests

    def clean_prompts(self) -> list[str]:
        prompts = [line.strip() for line in self.cleaned_data["prompts"].splitlines() if line.strip()]
        if not prompts:
            raise forms.ValidationError(_("Write at least one prompt card."))
        if any(len(p) > MAX_PROMPT_LENGTH for p in prompts):
            raise forms.ValidationError(
                _("A prompt card holds at most %(max)d characters."), params={"max": MAX_PROMPT_LENGTH}
            )
        return prompts

    def clean(self):
        cleaned = super().clean()
        if self.crowd and cleaned.get("everyone_going") and cleaned.get("members") is not None:
            chosen = {member.pk for member in cleaned["members"]} | set(self.crowd)
            cleaned["members"] = self.fields["members"].queryset.filter(pk__in=chosen)
        members, guests = cleaned.get("members"), cleaned.get("guests")
        if members is not None and guests is not None and len(members) + len(guests) < 2:
            raise forms.ValidationError(_("Choose at least two participants (members or guests)."))
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "members": list(data["members"]),
            "guests": data["guests"],
            "table_size": data["table_size"],
            "rounds": data["rounds"],
            "round_minutes": data["round_minutes"],
            "prompts": data["prompts"],
        }


class SwapForm(forms.Form):
    """Swap two people's places in one round."""

    round_number = forms.TypedChoiceField(label=_("Round"), coerce=int)
    first = forms.ModelChoiceField(label=_("Swap"), queryset=None)
    second = forms.ModelChoiceField(label=_("with"), queryset=None)

    def __init__(self, *args, session, participants, **kwargs):
        super().__init__(*args, **kwargs)
        start = session.current_round if session.current_round else 1
        self.fields["round_number"].choices = [(n, n) for n in range(start, session.rounds + 1)]
        queryset = session.participants.select_related("member").order_by("pk")
        for name in ("first", "second"):
            self.fields[name].queryset = queryset
            # The people are already loaded for the board: reuse them for the options.
            self.fields[name].choices = [("", "---------")] + [(p.pk, p.name) for p in participants]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first") and cleaned.get("first") == cleaned.get("second"):
            raise forms.ValidationError(_("Choose two different people."))
        return cleaned


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["about", "reason", "note"]
        widgets = {
            "reason": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"about": _("Person"), "reason": _("Why"), "note": _("Note (only you and the facilitators see it)")}

    def __init__(self, *args, people: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["about"].queryset = Participant.objects.filter(pk__in=[p.pk for p in people])
        self.fields["about"].choices = [("", "---------")] + [(p.pk, p.name) for p in people]
        self.fields["reason"].choices = FollowUpReason.choices
        self.fields["reason"].initial = FollowUpReason.PARTNERSHIP
