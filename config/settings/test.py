"""Test suite: PostgreSQL and Redis, as in production."""

import tempfile
from pathlib import Path

from .base import *
from .base import REDIS_URL, env

if not REDIS_URL:
    raise RuntimeError("The test suite needs Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379/1).")

DEBUG = False
SECRET_KEY = "test-only-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
CACHES["default"]["KEY_PREFIX"] = "kip-test"
MEDIA_ROOT = Path(env("TEST_MEDIA_ROOT", default=str(Path(tempfile.gettempdir()) / "keep-in-pact-test-media")))
CELERY_TASK_ALWAYS_EAGER = True
ALLOWED_HOSTS = ["*"]
SITE_URL = "http://testserver"
WHITENOISE_AUTOREFRESH = True
