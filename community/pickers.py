"""Choosing among thousands: a form field shows a few, a search field finds the others.

Forms that pick members (attendance, speed networking, agenda leads) validate against every
approved member but render a checkbox (or option) only for the members that matter — those
already chosen or proposed (going to the meeting, present) — plus those a search finds. The
page's size then follows the meeting, not the size of the community. The guide's contribution
form picks its sources (a theme, a meeting, a resource) the same way, with its own finders.

The search works without JavaScript: a "Find" button sends the form, which comes back with
everything typed and ticked kept (``finding``, ``posted_initial``) and the matches listed.
"""

from collections.abc import Callable

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

FOUND_AT_MOST = 20


def find_field(*, label=None, help_text=None) -> forms.CharField:
    """The search field of a picker (a member's, unless told otherwise)."""
    return forms.CharField(
        label=label or _("Find a member"),
        required=False,
        max_length=100,
        help_text=help_text or _("A name, an email or a centre; press “Find” to add them to the list."),
    )


def search_of(form: forms.Form, name: str = "find") -> str:
    """What was typed in the form's search field ``name`` (sent or initial), trimmed to its length."""
    value = form.data.get(form.add_prefix(name)) if form.is_bound else form.initial.get(name)
    return str(value or "").strip()[:100]


def search_words(query: str) -> list[str]:
    """The words of a search (at most five, without NUL characters), for ``filter_by_words``."""
    return query.replace("\x00", "").split()[:5]


def filter_by_words(queryset: QuerySet, query: str, *lookups: str) -> QuerySet:
    """The rows where every word of ``query`` is in one of the ``lookups`` (``icontains``)."""
    for word in search_words(query):
        condition = Q()
        for lookup in lookups:
            condition |= Q(**{f"{lookup}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def members_found(query: str, *, limit: int = FOUND_AT_MOST) -> list:
    """Approved members whose name, email or centre holds every word of ``query`` (a few)."""
    if not search_words(query):
        return []
    members = filter_by_words(get_user_model().objects.approved(), query, "display_name", "email", "organisation__name")
    return list(members.select_related("organisation").order_by("display_name", "pk")[:limit])


def _ids(values) -> set[int]:
    if isinstance(values, str | int | Model):
        values = [values]  # a single choice (a select), not a list of ticks
    ids = set()
    for value in values or ():
        pk = getattr(value, "pk", value)
        if str(pk).isdigit():
            ids.add(int(pk))
    return ids


def show_only(
    form: forms.Form, name: str, *, proposed=(), query: str = "", find: Callable[[str], list] = members_found
) -> list:
    """Render field ``name`` with only the proposed, chosen and found rows as choices.

    ``proposed`` are ids (or rows) to list anyway; the chosen ones come from the form's data or
    initial value; ``find(query)`` returns the rows a search finds (members by default). A
    single-choice field keeps its empty choice first. Validation still runs against the field's
    whole queryset, so a row found by a search and chosen is accepted. Returns the rows found.
    """
    field = form.fields[name]
    if form.is_bound:
        chosen = form.data.getlist(form.add_prefix(name)) if hasattr(form.data, "getlist") else []
    else:
        chosen = form.initial.get(name) or field.initial or []
    found = find(query) if query else []
    ids = _ids(proposed) | _ids(chosen) | {row.pk for row in found}
    listed = field.queryset.filter(pk__in=ids) if ids else field.queryset.none()
    choices = [(row.pk, field.label_from_instance(row)) for row in listed]
    if getattr(field, "empty_label", None) is not None:
        choices.insert(0, ("", field.empty_label))
    field.widget.choices = choices
    return found


FIND_BUTTON = "find_members"


def finding(request) -> bool:
    """Whether the form was sent with its "Find" button: list the members found, save nothing."""
    return request.method == "POST" and FIND_BUTTON in request.POST


def posted_initial(request, form_class, *, prefix: str | None = None, lists=(), data=None) -> dict:
    """What was typed and ticked in a form sent with "Find", as the initial data of a new form
    (``data``: the query string of a search that re-renders part of the form, else the POST)."""
    data = request.POST if data is None else data

    def key(name):
        return f"{prefix}-{name}" if prefix else name

    initial = {name: data.get(key(name), "") for name in form_class.base_fields if name not in lists}
    initial.update({name: data.getlist(key(name)) for name in lists})
    return initial
