"""Rendering and sending notification emails, one language and time zone per recipient.

Apps call :func:`send_to_users` from their Celery tasks (never inside a request),
after loading the objects the templates need. Each message has a text and an HTML
part rendered from ``<template>.txt`` / ``<template>.html`` and a subject from
``<template>_subject.txt``.
"""

import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.core import mail
from django.template import Context, loader
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation


def _zone(user):
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _preferences_url() -> str:
    return settings.SITE_URL + reverse("community:profile_edit") + "#notifications"


def render_plain(template_name: str, context: dict) -> str:
    """Render a plain-text template (a subject, a text body) without HTML escaping.

    A title “Partners' day” must read so in a subject line, not “Partners&#x27; day”.
    """
    template = loader.get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def build_message(*, user, template: str, context: dict, attachments=()) -> mail.EmailMultiAlternatives:
    """Render one message for one recipient, in their language and time zone."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE), timezone.override(_zone(user)):
        full_context = {
            "recipient": user,
            "site_url": settings.SITE_URL,
            "preferences_url": _preferences_url(),
            **context,
        }
        subject = " ".join(render_plain(f"{template}_subject.txt", full_context).split())
        text = render_plain(f"{template}.txt", full_context)
        html = render_to_string(f"{template}.html", full_context)
    message = mail.EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message


def recipients_for(users: Iterable, kind: str) -> list:
    """Approved, active members who accept this kind of notification."""
    return [u for u in users if u.is_active and u.email and u.wants(kind)]


def send_to_users(*, users: Iterable, kind: str, template: str, context: dict | None = None) -> int:
    """Send one message per recipient who wants this kind, over one connection. Returns the count sent."""
    messages = [build_message(user=u, template=template, context=context or {}) for u in recipients_for(users, kind)]
    if not messages:
        return 0
    with mail.get_connection() as connection:
        return connection.send_messages(messages) or 0
