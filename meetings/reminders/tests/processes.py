"""A real SMTP server and real Celery worker processes for the worker tests, started and stopped by them."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import redis
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[3]

# The worker's settings: small batches, short limits, so that the cases happen within seconds.
WORKER_SETTINGS = {
    "REMINDER_BATCH_SIZE": "5",
    "REMINDER_SEND_TASKS": "2",
    "REMINDER_SEND_SOFT_TIME_LIMIT": "2",
    "REMINDER_SEND_TIME_LIMIT": "10",
    "REMINDER_SEND_TIME_BUDGET": "60",
    # Three seconds: a batch lasts at most half of it (see _send_batch), then the next one starts.
    "REMINDER_CLAIM_TIMEOUT_MINUTES": "0.05",
    "REMINDER_START_MARGIN_SECONDS": "1",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def purge_queues() -> None:
    """Empty the queues the test worker reads (what a test left must not reach the next one)."""
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete(settings.CELERY_TASK_DEFAULT_QUEUE, settings.REMINDERS_QUEUE)


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}.")
        time.sleep(0.05)


class SmtpServer:
    """``smtp_server.py`` in its own process; ``delay`` seconds before it accepts each message."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.log = directory / "accepted.jsonl"
        self.delay_file = directory / "delay"
        self.process = None

    def start(self):
        self.log.touch()
        self.delay = 0
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).with_name("smtp_server.py")),
                str(self.port),
                self.log,
                self.delay_file,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"
        return self

    def stop(self):
        self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)

    @property
    def delay(self) -> float:
        return float(self.delay_file.read_text())

    @delay.setter
    def delay(self, seconds: float) -> None:
        self.delay_file.write_text(str(seconds))

    def clear(self) -> None:
        self.log.write_text("")

    def accepted(self) -> list[dict]:
        """Every message the server accepted, one entry per recipient, in order."""
        return [json.loads(line) for line in self.log.read_text().splitlines() if line]

    def per_recipient(self) -> Counter:
        return Counter(entry["to"] for entry in self.accepted())

    def settle(self, *, count: int, timeout: float = 30.0, quiet: float = 0.6) -> list[dict]:
        """Wait for ``count`` messages, then until nothing more arrives and nothing is queued for ``quiet`` s."""
        wait_until(lambda: len(self.accepted()) >= count, timeout, f"{count} messages")
        broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        queues = (settings.CELERY_TASK_DEFAULT_QUEUE, settings.REMINDERS_QUEUE)
        seen, since = len(self.accepted()), time.monotonic()
        while time.monotonic() - since < quiet:
            time.sleep(0.1)
            now_seen = len(self.accepted())
            if now_seen != seen or any(broker.llen(queue) for queue in queues):
                seen, since = now_seen, time.monotonic()
        return self.accepted()


class WorkerProcess:
    """``celery -A config worker`` (prefork) against the test database, the test's Redis and SMTP server."""

    def __init__(self, *, smtp: SmtpServer, directory: Path, concurrency: int = 2):
        self.name = f"reminders-{uuid.uuid4().hex[:8]}@test"
        self.log = directory / f"{self.name}.log"
        # The same server as this test run, but the test database it created.
        server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        self.env = (
            os.environ
            | WORKER_SETTINGS
            | {
                "DJANGO_SETTINGS_MODULE": "config.settings.local",
                "DJANGO_DEBUG": "false",
                "DATABASE_URL": f"{server}/{settings.DATABASES['default']['NAME']}",
                "REDIS_URL": settings.REDIS_URL,
                "CELERY_TASK_ALWAYS_EAGER": "false",
                "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
                "SITE_URL": settings.SITE_URL,
            }
        )
        self.concurrency = concurrency
        self.process = None

    def start(self):
        from config.celery import app

        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--pool=prefork",
                    f"--concurrency={self.concurrency}",
                    "--loglevel=warning",
                    "--without-mingle",
                    "--without-gossip",
                    f"--queues={settings.CELERY_TASK_DEFAULT_QUEUE},{settings.REMINDERS_QUEUE}",
                    f"--hostname={self.name}",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so that a kill takes its pool too
            )
        wait_until(
            lambda: bool(app.control.ping(destination=[self.name], timeout=0.3)) or self.process.poll() is not None,
            60,
            "the worker to start",
        )
        assert self.process.poll() is None, self.output()
        return self

    def kill(self):
        """SIGKILL the worker and its pool processes at once, as an out-of-memory killer would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process.poll() is None:
            # Cold shutdown: the test is over, nothing is left worth finishing.
            os.killpg(self.process.pid, signal.SIGQUIT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text()
