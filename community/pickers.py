"""Choosing members among thousands: a form field shows a few, a search field finds the others.

Forms that pick members (attendance, speed networking, agenda leads) validate against every
approved member but render a checkbox (or option) only for the members that matter — those
already chosen or proposed (going to the meeting, present) — plus those a search finds. The
page's size then follows the meeting, not the size of the community.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

FOUND_AT_MOST = 20


def find_field() -> forms.CharField:
    return forms.CharField(
        label=_("Find a member"),
        required=False,
        max_length=100,
        help_text=_("A name, an email or a centre; press “Find” to add them to the list."),
    )


def members_found(query: str, *, limit: int = FOUND_AT_MOST) -> list:
    """Approved members whose name, email or centre holds every word of ``query`` (a few)."""
    words = query.replace("\x00", "").split()[:5]
    if not words:
        return []
    members = get_user_model().objects.approved()
    for word in words:
        members = members.filter(
            Q(display_name__icontains=word) | Q(email__icontains=word) | Q(organisation__name__icontains=word)
        )
    return list(members.select_related("organisation").order_by("display_name", "pk")[:limit])


def _ids(values) -> set[int]:
    ids = set()
    for value in values or ():
        pk = getattr(value, "pk", value)
        if str(pk).isdigit():
            ids.add(int(pk))
    return ids


def show_only(form: forms.Form, name: str, *, proposed=(), query: str = "") -> list:
    """Render field ``name`` with only the proposed, chosen and found members as choices.

    ``proposed`` are ids (or members) to list anyway; the chosen ones come from the form's
    data or initial value. Validation still runs against the field's whole queryset, so a
    member found by a search and ticked is accepted. Returns the members found.
    """
    field = form.fields[name]
    if form.is_bound:
        chosen = form.data.getlist(form.add_prefix(name)) if hasattr(form.data, "getlist") else []
    else:
        chosen = form.initial.get(name) or field.initial or []
    found = members_found(query) if query else []
    ids = _ids(proposed) | _ids(chosen) | {m.pk for m in found}
    listed = field.queryset.filter(pk__in=ids) if ids else field.queryset.none()
    field.widget.choices = [(m.pk, field.label_from_instance(m)) for m in listed]
    return found


FIND_BUTTON = "find_members"


def finding(request) -> bool:
    """Whether the form was sent with its "Find" button: list the members found, save nothing."""
    return request.method == "POST" and FIND_BUTTON in request.POST


def posted_initial(request, form_class, *, prefix: str | None = None, lists=()) -> dict:
    """What was typed and ticked in a form sent with "Find", as the initial data of a new form."""

    def key(name):
        return f"{prefix}-{name}" if prefix else name

    initial = {name: request.POST.get(key(name), "") for name in form_class.base_fields if name not in lists}
    initial.update({name: request.POST.getlist(key(name)) for name in lists})
    return initial
