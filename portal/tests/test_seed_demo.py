import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import connection

from community.models import User

pytestmark = pytest.mark.django_db


def _row_counts() -> dict:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith(("django_session", "django_celery_beat")):
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def test_seed_demo_creates_demo_accounts_and_twice_changes_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    first = _row_counts()
    call_command("seed_demo", stdout=io.StringIO())

    assert _row_counts() == first
    for email in ("facilitator@example.org", "editor@example.org", "member@example.org"):
        assert authenticate(email=email, password="keep-in-pact-demo") == User.objects.get(email=email)
    assert set(User.objects.get(email="facilitator@example.org").groups.values_list("name", flat=True)) == {
        "Facilitators"
    }
    assert set(User.objects.get(email="editor@example.org").groups.values_list("name", flat=True)) == {"Guide editors"}


def test_seed_demo_refused_where_not_allowed(settings):
    settings.SEED_DEMO_ALLOWED = False

    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.count() == 0
