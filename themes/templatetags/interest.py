from django import template

from ..interest import interest_form as build

register = template.Library()


@register.simple_tag(takes_context=True)
def interest_form(context, theme, can_show, next_url=""):
    """``{% interest_form theme can_show_interest %}``: a theme's interest button and count."""
    return build(
        theme_pk=theme.pk,
        interested=bool(getattr(theme, "is_interested", False)),
        count=theme.interest_count,
        can_show=bool(can_show),
        csrf_token=str(context.get("csrf_token", "")),
        next_url=next_url or context["request"].get_full_path(),
    )
