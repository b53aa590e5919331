"""Dates with their weekday, in the reader's language and time zone, built from the
language's DATE_FORMAT and DATETIME_FORMAT (config/formats) so every page reads alike."""

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter(expects_localtime=True)
def long_date(value):
    """ "Sunday 28 March 2027", "dimanche 28 mars 2027", "domingo 28 de março de 2027"."""
    if not value:
        return ""
    return f"{date_format(value, 'l')} {date_format(value, 'DATE_FORMAT')}"


@register.filter(expects_localtime=True)
def long_datetime(value):
    """ "Sunday 28 March 2027, 09:00" in the reader's language."""
    if not value:
        return ""
    return f"{date_format(value, 'l')} {date_format(value, 'DATETIME_FORMAT')}"
