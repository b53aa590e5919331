"""The Celery application: Redis broker, JSON messages, schedules from the database."""

import os

from celery import Celery

# A worker started without a settings module runs production settings, never DEBUG.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("keepinpact")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
