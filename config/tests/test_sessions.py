"""Sessions are read from the shared cache and kept in the database: a page costs no session
query, and a flushed cache signs no one out."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.tests import factories

pytestmark = pytest.mark.django_db


def _session_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return sum("django_session" in query["sql"] for query in queries.captured_queries)


def test_a_signed_in_page_reads_the_session_from_the_cache(client):
    client.force_login(factories.UserFactory())
    client.get("/")

    assert _session_queries(client, "/") == 0


def test_a_flushed_cache_keeps_the_member_signed_in(client):
    member = factories.UserFactory(display_name="Ana Sousa")
    client.force_login(member)
    client.get("/")
    cache.clear()

    assert _session_queries(client, "/") == 1  # read back from the database once
    assert "Ana Sousa" in client.get("/").content.decode()
    assert _session_queries(client, "/") == 0
