"""Smoke test: the application through Debian's PgBouncer in transaction mode.

PgBouncer is started on a free port with a generated configuration, a Django process runs
queries and renders pages through it (DATABASE_POOLER=pgbouncer), and PgBouncer's own
statistics prove the queries went through it.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from community.tests.factories import UserFactory
from meetings.tests.factories import MeetingFactory

from .servers import ROOT, Process, child_environment, database_url, free_port, port_open, wait_until

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(PGBOUNCER), reason="Debian's pgbouncer is not installed"),
]

# Runs in a separate process that only knows the pooler's address.
SCRIPT = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from community.models import User
from meetings.models import Meeting

member = User.objects.get(email="{email}")
with transaction.atomic():
    # A server-side cursor would outlive the transaction in PgBouncer's transaction mode.
    emails = [user.email for user in User.objects.order_by("pk").iterator(chunk_size=2)]
client = Client()
client.force_login(member)
page = client.get("/meetings/")
health = client.get("/healthz")
print(json.dumps({{
    "server_side_cursors_disabled": connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"],
    "port": connection.settings_dict["PORT"],
    "emails": emails,
    "meetings": Meeting.objects.count(),
    "page": page.status_code,
    "title_on_page": "{title}" in page.content.decode(),
    "health": health.json(),
}}))
"""


def pgbouncer_files(directory: Path, *, port: int, database: dict) -> Path:
    """Write a transaction-mode configuration (as in docs/deploy.md) and its auth file."""
    user, password = database["USER"] or "postgres", database["PASSWORD"] or ""
    server = f"host={database['HOST'] or '127.0.0.1'} port={database['PORT'] or 5432} user={user}"
    if password:
        server += f" password={password}"
    (directory / "userlist.txt").write_text(f'"{user}" "{password}"\n')
    config = directory / "pgbouncer.ini"
    config.write_text(
        "[databases]\n"
        f"* = {server}\n"
        "[pgbouncer]\n"
        "listen_addr = 127.0.0.1\n"
        f"listen_port = {port}\n"
        "unix_socket_dir =\n"
        "auth_type = trust\n"
        f"auth_file = {directory / 'userlist.txt'}\n"
        f"admin_users = {user}\n"
        "pool_mode = transaction\n"
        "default_pool_size = 5\n"
        "max_client_conn = 100\n"
        "server_reset_query =\n"
        "ignore_startup_parameters = extra_float_digits\n"
    )
    for path in (directory, config, directory / "userlist.txt"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return config


@pytest.fixture
def pgbouncer():
    port = free_port()
    directory = Path(tempfile.mkdtemp(prefix="kip-pgbouncer-"))
    config = pgbouncer_files(directory, port=port, database=connection.settings_dict)
    # PgBouncer refuses to run as root: it drops to the postgres account then.
    user = ["-u", "postgres"] if os.geteuid() == 0 else []
    process = Process([PGBOUNCER, *user, str(config)])
    try:
        wait_until(lambda: port_open(port), timeout=15, what="PgBouncer", process=process)
        yield port
    finally:
        process.stop()
        shutil.rmtree(directory, ignore_errors=True)


def _queries_through(port: int, database: str) -> int:
    settings = connection.settings_dict
    with psycopg.connect(
        host="127.0.0.1", port=port, dbname="pgbouncer", user=settings["USER"] or "postgres", autocommit=True
    ) as admin:
        rows = admin.execute("SHOW STATS").fetchall()
        names = [column.name for column in admin.execute("SHOW STATS").description]
    stats = {row[names.index("database")]: row for row in rows}
    return stats[database][names.index("total_query_count")]


def test_pages_and_queries_through_pgbouncer_in_transaction_mode(pgbouncer):
    members = [UserFactory(), UserFactory()]
    meeting = MeetingFactory(title="Partnership day through the pooler")
    settings = connection.settings_dict
    env = child_environment(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url({**settings, "HOST": "127.0.0.1"}, port=pgbouncer),
        DATABASE_POOLER="pgbouncer",
    )

    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(email=members[0].email, title=meeting.title)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {
        "server_side_cursors_disabled": True,
        "port": pgbouncer,
        "emails": [member.email for member in members],
        "meetings": 1,
        "page": 200,
        "title_on_page": True,
        "health": {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"},
    }
    assert _queries_through(pgbouncer, settings["NAME"]) >= 5
