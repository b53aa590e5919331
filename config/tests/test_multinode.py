"""Several web nodes: two gunicorn processes, two Celery workers and one beat, sharing the same
PostgreSQL database, Redis and S3-compatible storage server, as production runs them
(``config.settings.nodes``: production settings on plain HTTP).

Nothing here may work because the request that wrote a session, a file or a rate-limit count is
served by the process that reads it.
"""

import email
import json
import re
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from community.tests.factories import TEST_TOTP_SECRET, UserFactory, facilitator
from community.twofactor import totp_code
from config.celery import app
from meetings.enums import MeetingState, RSVPResponse
from meetings.models import Meeting, Resource
from meetings.reminders.enums import DeliveryStatus
from meetings.reminders.models import Delivery
from meetings.tests.factories import MeetingFactory, RSVPFactory

from .servers import Process, child_environment, database_url, free_port, wait_until

pytestmark = [pytest.mark.multinode, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
METRICS_TOKEN = "metrics-token-for-the-two-node-test"
PUBLIC_HOST = "pact.example.org"
PDF = b"%PDF-1.4\n% shared between nodes\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Override the suite's cache flush: flushing Redis under running workers would drop the
    broker's queue bindings. The cluster fixture flushes once, before anything starts."""
    yield


@dataclass
class Cluster:
    nodes: list[str]
    workers: list[Process]
    web: list[Process]
    outbox: Path
    environment: dict
    extra: list[Process] = field(default_factory=list)

    def sent_messages(self) -> list[email.message.Message]:
        messages = []
        for path in sorted(self.outbox.iterdir()):
            for chunk in path.read_text().split("\n" + "-" * 79 + "\n"):
                if chunk.strip():
                    messages.append(email.message_from_string(chunk))
        return messages

    def log_lines(self, processes) -> list[dict]:
        lines = []
        for process in processes:
            for line in process.output().splitlines():
                if line.startswith("{"):
                    lines.append(json.loads(line))
        return lines


def _healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", headers={"Host": PUBLIC_HOST}, timeout=5).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker, s3_server):
    with django_db_blocker.unblock():
        cache.clear()  # rate-limit counts of an earlier run, queues of an earlier test
        database = dict(connection.settings_dict)
    outbox = Path(tempfile.mkdtemp(prefix="kip-outbox-"))
    environment = child_environment(
        DJANGO_SETTINGS_MODULE="config.settings.nodes",
        DJANGO_SECRET_KEY="two-node-test-secret-key-with-enough-entropy-4f9a1c7e2b",
        DJANGO_ALLOWED_HOSTS=f"127.0.0.1,{PUBLIC_HOST}",
        DATABASE_URL=database_url(database),
        CONN_MAX_AGE="0",
        EMAIL_URL=f"filemail:///{outbox}",  # four slashes: an absolute path
        SITE_URL="http://127.0.0.1",
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
        REQUEST_ID_TRUST_HEADER="true",
        METRICS_TOKEN=METRICS_TOKEN,
        **s3_server.environment(s3_server.new_bucket()),
    )
    ports = [free_port(), free_port()]
    web = [
        Process(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            env=environment,
        )
        for port in ports
    ]
    celery = [sys.executable, "-m", "celery", "-A", "config", "worker", "--queues=celery,reminders", "--loglevel=INFO"]
    quiet = ["--pool=solo", "--without-mingle", "--without-gossip", "--without-heartbeat"]
    workers = [Process([*celery, *quiet, f"--hostname={name}@%h"], env=environment) for name in ("one", "two")]
    nodes = [f"http://127.0.0.1:{port}" for port in ports]
    running = Cluster(nodes=nodes, workers=workers, web=web, outbox=outbox, environment=environment)
    try:
        for url, process in zip(nodes, web, strict=True):
            wait_until(lambda url=url: _healthy(url), timeout=60, what=f"the web node {url}", process=process)
        wait_until(lambda: len(app.control.ping(timeout=0.5)) == 2, timeout=60, what="the workers")
        yield running
    finally:
        everything = [*web, *workers, *running.extra]
        for process in everything:  # all at once, then wait for each
            process.send_signal(signal.SIGQUIT)
        for process in everything:
            process.stop(how=signal.SIGQUIT)


def member_with_password(**kwargs):
    """A member whose password the nodes can check: production settings have no MD5 hasher.
    (Few iterations keep the test fast; the node re-hashes it at the first sign-in.)"""
    user = (facilitator if kwargs.pop("facilitator", False) else UserFactory)(**kwargs)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "two-node-salt", iterations=1000)
    user.save(update_fields=["password"])
    return user


def browser() -> requests.Session:
    """A browser behind the load balancer: every node sees the site's public host name (allauth
    keys the failed-login count by it, as sessions and links depend on it)."""
    session = requests.Session()
    session.headers["Host"] = PUBLIC_HOST
    return session


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10)
    assert page.status_code == 200, page.status_code
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _sign_in(session: requests.Session, node: str, email_address: str, password: str = PASSWORD):
    token = _csrf(session, f"{node}/accounts/login/")
    response = session.post(
        f"{node}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": email_address, "password": password},
        allow_redirects=False,
        timeout=10,
    )
    if response.status_code == 302 and response.headers["Location"].startswith("/accounts/2fa/authenticate/"):
        # Facilitators have an authenticator (the factories give them the test secret).
        step = f"{node}{response.headers['Location']}"
        response = session.post(
            step,
            data={"csrfmiddlewaretoken": _csrf(session, step), "code": totp_code(TEST_TOTP_SECRET)},
            allow_redirects=False,
            timeout=10,
        )
    return response


def test_member_signed_in_on_one_node_goes_on_on_the_other(cluster):
    member = member_with_password(display_name="Ana Sousa")
    node_a, node_b = cluster.nodes
    session = browser()

    signed_in = _sign_in(session, node_a, member.email)
    directory = session.get(f"{node_b}/members/", allow_redirects=False, timeout=10)
    anonymous = browser().get(f"{node_b}/members/", allow_redirects=False, timeout=10)

    assert (signed_in.status_code, signed_in.headers["Location"]) == (302, "/")
    assert directory.status_code == 200
    assert "Ana Sousa" in directory.text
    assert anonymous.status_code == 302


def test_file_uploaded_through_one_node_downloads_through_the_other(cluster, s3_server):
    meeting = MeetingFactory()
    organiser, reader_member = member_with_password(facilitator=True), member_with_password()
    node_a, node_b = cluster.nodes
    uploader, reader = browser(), browser()
    _sign_in(uploader, node_a, organiser.email)
    _sign_in(reader, node_b, reader_member.email)
    form = f"{node_a}/meetings/{meeting.pk}/resources/new/"

    uploaded = uploader.post(
        form,
        data={"csrfmiddlewaretoken": _csrf(uploader, form), "title": "Shared charter", "description": "", "url": ""},
        files={"file": ("charter.pdf", PDF, "application/pdf")},
        allow_redirects=False,
        timeout=10,
    )
    resource = Resource.objects.get(meeting=meeting)
    download = reader.get(f"{node_b}/meetings/resources/{resource.pk}/file/", timeout=10)
    page = reader.get(f"{node_b}/meetings/{meeting.pk}/", timeout=10)
    bucket = cluster.environment["AWS_STORAGE_BUCKET_NAME"]

    assert uploaded.status_code == 302
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["Content-Disposition"] == 'attachment; filename="charter.pdf"'
    assert s3_server.client().get_object(Bucket=bucket, Key=resource.file.name)["Body"].read() == PDF
    assert s3_server.endpoint_url not in page.text


def test_login_rate_limit_counts_attempts_on_both_nodes(cluster):
    member = member_with_password()
    node_a, node_b = cluster.nodes

    # allauth allows 5 failed attempts per address in 5 minutes: 3 on one node, 2 on the other.
    failures = [_sign_in(browser(), node, member.email, "wrong-password") for node in [node_a] * 3 + [node_b] * 2]
    refused = _sign_in(browser(), node_a, member.email)

    assert [response.status_code for response in failures] == [200] * 5
    assert all("The email address and/or password you specified are not correct." in r.text for r in failures)
    assert refused.status_code == 200
    assert "Too many failed login attempts. Try again later." in refused.text


def test_one_beat_and_two_workers_send_each_reminder_once(cluster):
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=1, minutes=-1))
    going = [RSVPFactory(meeting=meeting, response=RSVPResponse.GOING).member for _ in range(8)]
    # The beat entry as production has it after a tick five minutes ago: the next one is due now.
    entry = settings.CELERY_BEAT_SCHEDULE["meeting-reminders"]
    PeriodicTask.objects.create(
        name="meeting-reminders",
        task=entry["task"],
        interval=IntervalSchedule.objects.create(every=int(entry["schedule"]), period=IntervalSchedule.SECONDS),
        last_run_at=timezone.now() - timedelta(seconds=entry["schedule"] + 1),
    )
    beat = Process(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO", "--max-interval=1"],
        env=cluster.environment,
    )
    cluster.extra.append(beat)
    try:
        wait_until(
            lambda: Delivery.objects.filter(meeting=meeting, status=DeliveryStatus.SENT).count() == 8,
            timeout=40,
            what="the reminders",
            process=beat,
        )
        time.sleep(1.5)  # time for a duplicate, if anything were to send one
    finally:
        beat.stop()

    recipients = sorted(address for message in cluster.sent_messages() for address in message.get_all("To"))
    assert recipients == sorted(member.email for member in going)
    assert Delivery.objects.filter(meeting=meeting).count() == 8
    # Both workers took part in the work (the send tasks compete for the rows).
    served = {line["task"] for line in cluster.log_lines(cluster.workers) if line.get("task")}
    assert served >= {"meetings.reminders.tasks.dispatch_reminders", "meetings.reminders.tasks.send_meeting_deliveries"}

    metrics = browser().get(
        f"{cluster.nodes[1]}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=10
    )
    assert metrics.status_code == 200
    assert "keepinpact_reminders_sent 8.0" in metrics.text.splitlines()
    assert browser().get(f"{cluster.nodes[0]}/metrics", timeout=10).status_code == 403


def test_request_id_follows_a_request_into_the_tasks_it_queued(cluster):
    organiser = member_with_password(facilitator=True)
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=10))
    attendee = RSVPFactory(meeting=meeting, response=RSVPResponse.GOING).member
    node_a = cluster.nodes[0]
    session = browser()
    _sign_in(session, node_a, organiser.email)
    url = f"{node_a}/meetings/{meeting.pk}/cancel/"

    cancelled = session.post(
        url,
        data={"csrfmiddlewaretoken": _csrf(session, url), "reason": "The venue is closed."},
        headers={"X-Request-ID": "lb-7f3a-cancel"},
        allow_redirects=False,
        timeout=10,
    )
    missing = session.get(f"{node_a}/meetings/999999/", headers={"X-Request-ID": "lb-7f3a-missing"}, timeout=10)
    wait_until(
        lambda: any(message["To"] == attendee.email for message in cluster.sent_messages()),
        timeout=30,
        what="the cancellation notice",
    )
    time.sleep(0.3)  # the worker writes its last line after the mail

    assert cancelled.status_code == 302
    assert cancelled.headers["X-Request-ID"] == "lb-7f3a-cancel"
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.CANCELLED
    task_lines = [line for line in cluster.log_lines(cluster.workers) if line["request_id"] == "lb-7f3a-cancel"]
    assert {line["task"] for line in task_lines} == {"meetings.reminders.tasks.send_meeting_change_notice"}
    assert [line["message"] for line in task_lines][:1] == ["task started"]
    web_lines = [line for line in cluster.log_lines(cluster.web) if line["request_id"] == "lb-7f3a-missing"]
    assert missing.status_code == 404
    assert [(line["level"], line["logger"], line["message"]) for line in web_lines] == [
        ("WARNING", "django.request", "Not Found: /meetings/999999/")
    ]
