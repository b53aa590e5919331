from django import template

from search.selectors import snippet_html

register = template.Library()


@register.filter
def search_snippet(text):
    """A search snippet as safe HTML: escaped text, matches in <mark>."""
    return snippet_html(text)
