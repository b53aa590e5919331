"""Benchmark: the reminders of one meeting through real Celery workers, beside the same work done plainly.

Starts a local SMTP sink that waits ``--delay`` ms before accepting each message (a real mail
server takes 20-50 ms), and ``celery -A config worker`` with ``--concurrency`` processes (Redis
broker, PostgreSQL). It creates ``--members`` members going to one meeting whose reminder is due,
runs the dispatch task and times until every delivery row is marked sent: dispatch, claims,
rendering, sending, and a record per message.

Then, like for like, the same number of plain processes each render their share of the same
full messages (text, HTML and .ics, the same headers) and send them over one connection each,
with no bookkeeping at all: what the worker's guarantees cost is the difference.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/keepinpact REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/reminders_send.py [--members 2000] [--concurrency 2] [--delay 30]

It migrates the database it is given and removes its own members and meeting at the end.
Not part of the test run.
"""

import argparse
import asyncio
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
DOMAIN = "bench.example.org"
TITLE = "Benchmark meeting"


class SmtpSink:
    """A minimal SMTP server that accepts everything and counts the messages.

    It runs in its own process, so that it competes with neither sender for the interpreter lock.
    """

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self._count = multiprocessing.Value("q", 0)
        self._bytes = multiprocessing.Value("q", 0)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.ready = multiprocessing.Event()
        self.process = multiprocessing.Process(target=self._run, daemon=True)

    def start(self):
        self.process.start()
        self.ready.wait(10)
        return self

    def stop(self):
        self.process.terminate()
        self.process.join(10)

    @property
    def count(self) -> int:
        return self._count.value

    @property
    def bytes(self) -> int:
        return self._bytes.value

    def reset(self):
        self._count.value = 0
        self._bytes.value = 0

    def _run(self):
        loop = asyncio.new_event_loop()
        loop.run_until_complete(asyncio.start_server(self._session, "127.0.0.1", self.port, limit=16 * 1024 * 1024))
        self.ready.set()
        loop.run_forever()

    async def _session(self, reader, writer):
        writer.write(b"220 sink ESMTP\r\n")
        while line := await reader.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                writer.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                writer.write(b"354 End with <CR><LF>.<CR><LF>\r\n")
                await writer.drain()
                data = await reader.readuntil(b"\r\n.\r\n")
                await asyncio.sleep(self.delay)  # the time a real server takes to accept a message
                with self._count.get_lock():
                    self._count.value += 1
                with self._bytes.get_lock():
                    self._bytes.value += len(data)
                writer.write(b"250 OK\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 Bye\r\n")
                await writer.drain()
                break
            else:
                writer.write(b"250 OK\r\n")
            await writer.drain()
        writer.close()


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"Timed out waiting for {what}.")
        time.sleep(0.05)


def clean(User, Meeting):
    Meeting.objects.filter(title=TITLE).delete()
    User.objects.filter(email__endswith=f"@{DOMAIN}").delete()


def plain_sender(meeting_id: int, member_ids: list[int], ready, go, results) -> None:
    """One plain process: render each full message and send it over one connection, nothing recorded."""
    import django

    django.setup()
    from django.core import mail

    from community.models import User
    from community.notifications import build_message
    from meetings.ical import meeting_ics
    from meetings.reminders.services.sending import TEMPLATES, _base_context, _meeting_for_sending

    meeting = _meeting_for_sending(meeting_id)
    members = list(User.objects.filter(pk__in=member_ids).order_by("pk"))
    ready.put(True)
    go.wait()
    started = time.perf_counter()
    context = _base_context(meeting) | {"kind": "reminder", "answer": "going", "rsvp_links": None}
    attachments = [("meeting.ics", meeting_ics(meeting).decode(), "text/calendar")]
    sent = 0
    with mail.get_connection() as connection:
        for member in members:
            context["answer_label"] = "Going"
            message = build_message(
                user=member, template=TEMPLATES["reminder"], context=context, attachments=attachments
            )
            message.extra_headers["Auto-Submitted"] = "auto-generated"
            message.extra_headers["Message-ID"] = f"<plain.{meeting_id}.{member.pk}@bench.example.org>"
            sent += connection.send_messages([message]) or 0
    results.put((sent, time.perf_counter() - started))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes, and plain processes")
    parser.add_argument("--delay", type=float, default=30.0, help="ms the SMTP sink takes per message")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        raise SystemExit("Set DATABASE_URL (PostgreSQL) and REDIS_URL.")

    sink = SmtpSink(delay=args.delay / 1000).start()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DJANGO_DEBUG="false",
        CELERY_TASK_ALWAYS_EAGER="false",
        EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from community.enums import MemberState
    from community.models import User
    from config.celery import app
    from meetings.enums import AgendaKind, MeetingState, RSVPResponse
    from meetings.models import RSVP, AgendaItem, Meeting
    from meetings.reminders.enums import DeliveryStatus
    from meetings.reminders.models import Delivery
    from meetings.reminders.tasks import dispatch_reminders

    call_command("migrate", verbosity=0)
    clean(User, Meeting)

    print(f"Preparing {args.members} members and one meeting…", flush=True)
    zones = ["Europe/Paris", "Europe/Lisbon", "America/Montreal", "Africa/Dakar", "Asia/Beirut"]
    User.objects.bulk_create(
        [
            User(
                username=f"bench-{n}",
                email=f"member{n}@{DOMAIN}",
                display_name=f"Bench Member {n}",
                password="!",  # unusable
                state=MemberState.APPROVED,
                preferred_language="fr" if n % 3 == 0 else "en",
                time_zone=zones[n % len(zones)],
            )
            for n in range(args.members)
        ],
        batch_size=1000,
    )
    members = list(User.objects.filter(email__endswith=f"@{DOMAIN}").order_by("pk"))
    meeting = Meeting.objects.create(
        title=TITLE,
        starts_at=timezone.now() + timedelta(days=1, minutes=-1),
        time_zone="Europe/Brussels",
        online_url="https://meet.example.org/bench",
        state=MeetingState.PUBLISHED,
    )
    for position, (kind, label) in enumerate(AgendaKind.choices[:4]):
        AgendaItem.objects.create(meeting=meeting, kind=kind, title=str(label), position=position)
    RSVP.objects.bulk_create([RSVP(meeting=meeting, member=m, response=RSVPResponse.GOING) for m in members])

    log = tempfile.NamedTemporaryFile(prefix="bench-worker-", suffix=".log", delete=False)  # noqa: SIM115
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel=warning",
            f"--concurrency={args.concurrency}",
            "--without-mingle",
            "--without-gossip",
            "--queues=celery,reminders",
            "--hostname=bench@%h",
        ],
        cwd=BASE_DIR,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        app.control.purge()
        wait_until(lambda: bool(app.control.ping(timeout=0.5)), 120, "the worker to start")
        sink.reset()

        started = time.perf_counter()
        dispatch_reminders.delay()
        sent = Delivery.objects.filter(meeting=meeting, status=DeliveryStatus.SENT)
        wait_until(lambda: sent.count() >= args.members, 1200, "the reminders to be sent")
        worker_seconds = time.perf_counter() - started
        worker_count, worker_bytes = sink.count, sink.bytes
        duplicates = worker_count - args.members
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)

    # The same full messages, rendered and sent by as many plain processes, without any bookkeeping.
    # Fresh processes (spawned, not forked), timed from a common start once Django is loaded in each.
    spawn = multiprocessing.get_context("spawn")
    shares = [[m.pk for m in members[i :: args.concurrency]] for i in range(args.concurrency)]
    ready, results, go = spawn.Queue(), spawn.Queue(), spawn.Event()
    senders = [spawn.Process(target=plain_sender, args=(meeting.pk, share, ready, go, results)) for share in shares]
    for sender in senders:
        sender.start()
    for _sender in senders:
        ready.get(timeout=300)
    sink.reset()
    started = time.perf_counter()
    go.set()
    outcomes = [results.get(timeout=1200) for _ in senders]
    plain_seconds = time.perf_counter() - started
    for sender in senders:
        sender.join(60)
    plain_count, plain_bytes = sink.count, sink.bytes
    slowest_share = max(seconds for _count, seconds in outcomes)

    clean(User, Meeting)
    sink.stop()
    print()
    print(f"SMTP sink: {args.delay:.0f} ms per message; {args.concurrency} processes on each side")
    print(f"{'what':<72} {'messages':>8} {'seconds':>8} {'msg/s':>7}")
    rows = [
        ("through the worker: dispatch, claim, render, send, record each message", worker_count, worker_seconds),
        ("plain processes: render and send the same full messages, nothing recorded", plain_count, plain_seconds),
        ("  (plain, slowest process from its first render to its last send)", plain_count, slowest_share),
    ]
    for label, count, seconds in rows:
        print(f"{label:<72} {count:>8} {seconds:>8.2f} {count / seconds:>7.0f}")
    print()
    print(f"Worker time / plain time: {worker_seconds / plain_seconds:.2f}")
    print(
        f"Average size: worker {worker_bytes // max(worker_count, 1)} B, plain {plain_bytes // max(plain_count, 1)} B"
    )
    print(f"Duplicates through the worker: {duplicates}")
    Path(log.name).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
