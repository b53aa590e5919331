"""The site's URLs plus one bare Django view: a 10-item template behind the same middleware.

The bare view is the limit of the stack on the machine of the run (request parsing, middleware,
session, template engine, gunicorn): bench/pages.py reports each page as a ratio to it.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

BARE_TEMPLATE = engines["django"].from_string(
    "<!doctype html><html><head><title>{{ title }}</title></head><body><h1>{{ title }}</h1>"
    "<ul>{% for item in items %}<li><a href='/items/{{ item.pk }}/'>{{ item.name }}</a></li>{% endfor %}</ul>"
    "</body></html>"
)
ITEMS = [{"pk": n, "name": f"Item {n}"} for n in range(10)]


def bare(request):
    return HttpResponse(BARE_TEMPLATE.render({"title": "Bare", "items": ITEMS}, request))


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
