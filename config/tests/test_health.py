import pytest
from django.core.cache import caches
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_ok_with_database_and_redis(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}


def test_healthz_503_with_wrong_redis_url(client, settings):
    wrong = "redis://127.0.0.1:1/0"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": wrong}}
    settings.CELERY_BROKER_URL = wrong
    try:
        response = client.get(reverse("healthz"))
    finally:
        caches["default"].close()

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["cache"].startswith("error")
    assert body["broker"].startswith("error")
