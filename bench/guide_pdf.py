"""Benchmark: the guide's PDF built from every entry of the scaled data (about 10,000).

On a database filled by ``bench/seed_scale.py`` it publishes every guide entry (one bulk
update), then runs the build task in this process as a worker would, and prints the wall time,
the peak memory of the process (``resource.getrusage``), the pages and the size of the file.
Then it times the PDF view once the file is built (in process, no server).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/keepinpact_bench REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/guide_pdf.py [--language en] [--requests 50]

It changes the data of the database it is given (every entry published): use a bench database.
It refuses production settings. Not part of the test run.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if os.environ["DJANGO_SETTINGS_MODULE"].endswith("production"):
        raise SystemExit("bench/guide_pdf.py refuses production settings: it publishes every guide entry.")
    import django

    django.setup()


def publish_everything() -> int:
    from django.db.models import F
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    from guide.enums import ContributionState
    from guide.models import Contribution

    now = timezone.now()
    Contribution.objects.exclude(state=ContributionState.PUBLISHED).update(
        state=ContributionState.PUBLISHED,
        licence_consent=True,
        published_at=Coalesce(F("published_at"), now),
        state_changed_at=now,
        updated_at=now,
    )
    return Contribution.objects.published().count()


def forget_rendered_markdown() -> None:
    """A cold build: the markdown of the entries is rendered again, as after a deploy."""
    from django.conf import settings

    from community.markdown import CACHE_PREFIX

    if not settings.REDIS_URL:
        return
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(match=f"*{CACHE_PREFIX}*", count=1000):
        client.delete(key)


def time_view(language: str, requests: int) -> None:
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE=language, HTTP_HOST="localhost")
    first = client.get("/guide/guide.pdf")
    etag = first["ETag"]
    b"".join(first.streaming_content)
    for label, headers in (("full file", {}), ("304 (If-None-Match)", {"if-none-match": etag})):
        first_byte, whole = [], []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get("/guide/guide.pdf", headers=headers)
            chunks = iter(response.streaming_content) if response.streaming else iter([response.content])
            next(chunks, b"")
            first_byte.append((time.perf_counter() - started) * 1000)
            for _chunk in chunks:
                pass
            whole.append((time.perf_counter() - started) * 1000)
        print(
            f"view, {label}: status {response.status_code}, first byte median {statistics.median(first_byte):.1f} ms "
            f"(max {max(first_byte):.1f}), whole answer median {statistics.median(whole):.1f} ms "
            f"over {requests} requests, in process"
        )


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="en")
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    from celery import signals

    from config.celery import app
    from guide import tasks
    from guide.models import GuideEdition

    # In process, as a worker would run them one after the other: every step of the build inline.
    app.conf.task_always_eager = True
    sys.setrecursionlimit(20000)  # each step queues the next one, inline here
    steps: dict[str, list[float]] = {}
    begun: dict[str, float] = {}

    def prerun(task_id, task, **kwargs):
        begun[task_id] = time.perf_counter()

    def postrun(task_id, task, **kwargs):
        steps.setdefault(task.name.rsplit(".", 1)[-1], []).append(time.perf_counter() - begun.pop(task_id))

    signals.task_prerun.connect(prerun, weak=False)
    signals.task_postrun.connect(postrun, weak=False)

    published = publish_everything()
    forget_rendered_markdown()
    # A build from scratch: no edition with this fingerprint yet, no marker left by an earlier run.
    GuideEdition.objects.filter(language=args.language).delete()
    from django.core.cache import cache

    from guide import services

    cache.delete_many([services.PDF_BUILDING.format(args.language), services.PDF_QUEUED.format(args.language)])
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"published entries: {published}; peak RSS before the build: {rss_before:.0f} MB")

    started, cpu_started = time.perf_counter(), cpu_seconds()
    result = tasks.build_guide_pdf.apply(kwargs={"language": args.language})
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    result.get()  # re-raises a failure of the build
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    edition = GuideEdition.objects.filter(language=args.language).first()
    print(
        f"build: {wall:.1f} s wall, peak RSS {peak:.0f} MB, {edition.page_count} pages, "
        f"{edition.entry_count} entries, {edition.size / 1e6:.1f} MB file "
        f"; {cpu:.1f} s of CPU"
    )
    # Inline, each step runs inside the one that queued it and ends first: the innermost (the
    # last part) is recorded first, and each step's own time is its time less the next one's.
    parts = steps.get("build_guide_pdf_part", [])
    finish = steps.get("finish_guide_pdf", [0.0])[0]
    own = [outer - inner for outer, inner in zip(parts, [finish, *parts[:-1]], strict=False)]
    if own:
        print(
            f"steps: {len(own)} parts, longest {max(own):.1f} s, median {statistics.median(own):.1f} s; "
            f"last step (contents and join) {finish:.1f} s "
            f"(limits per step: soft {tasks.BUILD_STEP_SOFT_TIME_LIMIT} s, hard {tasks.BUILD_STEP_TIME_LIMIT} s)"
        )
    time_view(args.language, args.requests)


if __name__ == "__main__":
    main()
