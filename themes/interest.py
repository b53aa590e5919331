"""The interest button under a theme: the same markup on the backlog, a theme's page and the
answer to a click (htmx), written once. Built in Python: the backlog shows twenty of them per
page, and a template per button cost more than the rest of the page kept rendered."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext


def interest_form(
    *, theme_pk: int, interested: bool, count: int, can_show: bool, csrf_token: str, next_url: str
) -> SafeString:
    """A member's interest form for one theme: the button (when they may say interest) and the count."""
    url = reverse("themes:interest", args=[theme_pk])
    button = ""
    if can_show:
        button = format_html(
            '<button type="submit" class="btn btn-sm {}" aria-pressed="{}">{}</button>',
            "btn-success" if interested else "btn-outline-success",
            "true" if interested else "false",
            ("✓ " + gettext("I'm interested")) if interested else gettext("I want to hear this"),
        )
    counted = ngettext("%(counter)s interested", "%(counter)s interested", count) % {"counter": count}
    return format_html(
        '<form method="post" action="{url}" id="interest-{pk}" class="theme-interest d-inline-flex'
        ' align-items-center gap-2" hx-post="{url}" hx-target="this" hx-swap="outerHTML"'
        ' hx-disabled-elt="find button">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
        '<input type="hidden" name="interested" value="{wanted}">'
        '<input type="hidden" name="next" value="{next}">{button}'
        '<span class="small text-muted interest-count">{counted}</span></form>',
        url=url,
        pk=theme_pk,
        csrf=csrf_token,
        wanted="0" if interested else "1",
        next=next_url,
        button=button,
        counted=counted,
    )
