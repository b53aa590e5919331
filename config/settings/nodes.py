"""Production settings as each web node and worker runs them, but on plain HTTP.

For the multi-node test and for trying several nodes on one machine: there is no TLS proxy in
front, so cookies may not require HTTPS and nothing redirects to it. Everything else (Redis
cache and sessions' database, the bucket, PgBouncer, JSON logs) is exactly production.
"""

from .production import *

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# No collectstatic step on a test machine: serve the source static files.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
