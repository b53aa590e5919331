from django import template

from community.markdown import markdown_to_text, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text or "")


@register.filter(name="plaintext")
def plaintext_filter(text):
    """Markdown reduced to its words, for cards and excerpts."""
    return markdown_to_text(text or "")
