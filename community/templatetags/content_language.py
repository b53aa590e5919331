from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()

NAMES = dict(settings.LANGUAGES)


@register.filter
def language_name(code):
    """The name of an interface language, in the reader's language."""
    name = NAMES.get(code)
    return gettext(name) if name else code


@register.filter
def language_badge(code):
    """A small badge naming the language content is written in (the content element carries ``lang``)."""
    if not code:
        return ""
    return format_html('<span class="badge text-bg-light border content-language">{}</span>', language_name(code))
