"""Benchmark: the pages of the URL contract served as production serves them, beside a bare view.

Starts gunicorn (sync workers, production settings, persistent database connections) on a free
port with ``bench.bare_settings``: the site plus ``/bench/bare/``, a Django view rendering a
10-item template behind the same middleware. For each page, as the role that usually reads it,
it runs ``wrk`` (Debian package) against the bare view and the page alternately and prints
requests per second, p50, p99 and the ratio to the bare view; then it sends 10,000 mixed requests
and prints the resident memory of each worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/keepinpact_bench REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/pages.py [--seed] [--duration 5] [--rounds 3] [--connections 4] [--pdf]

``--seed`` first scales the data with bench/seed_scale.py. Not part of the test run.
"""

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
DEMO_PASSWORD_ROLES = {
    "member": "member@example.org",
    "facilitator": "facilitator@example.org",
    "editor": "editor@example.org",
}
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.bare_settings",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
    "DJANGO_ALLOWED_HOSTS": HOST,
    "SITE_URL": f"https://{HOST}",
    "LOG_LEVEL": "WARNING",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _env() -> dict:
    env = dict(os.environ)
    for name, value in BENCH_ENV.items():
        env.setdefault(name, value)
    env["DJANGO_SETTINGS_MODULE"] = BENCH_ENV["DJANGO_SETTINGS_MODULE"]
    return env


def prepare(seed: bool) -> None:
    if seed:
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.local")
        subprocess.run([sys.executable, str(BASE_DIR / "bench" / "seed_scale.py")], env=env, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=_env(),
        check=True,
    )


def sessions_and_pages(include_pdf: bool) -> tuple[dict, list[tuple[str, str, str]]]:
    """Sign the demo accounts in (one session each) and pick the largest objects to load."""
    os.environ.update(_env())
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from guide.models import Chapter
    from meetings.models import Meeting
    from themes.models import Theme

    User = get_user_model()
    cookies = {}
    for role, email in DEMO_PASSWORD_ROLES.items():
        client = Client()
        client.force_login(User.objects.get(email=email))
        cookies[role] = f"sessionid={client.cookies['sessionid'].value}"
    cookies["visitor"] = ""

    crowded = Meeting.objects.annotate(n=Count("rsvps")).order_by("-n").first()
    past = Meeting.objects.filter(minutes_published_at__isnull=False).order_by("-starts_at").first()
    theme = Theme.objects.annotate(n=Count("interests")).order_by("-n").first()
    chapter = Chapter.objects.annotate(n=Count("contributions")).order_by("-n").first()
    member = User.objects.get(email=DEMO_PASSWORD_ROLES["member"])
    pages = [
        ("landing", "visitor", "/"),
        ("dashboard", "member", "/"),
        ("directory", "member", "/members/"),
        ("profile", "member", f"/members/{member.username}/"),
        ("pending sign-ups", "facilitator", "/members/pending/"),
        ("meetings list", "member", "/meetings/"),
        ("meeting (615 answers)", "member", f"/meetings/{crowded.pk}/"),
        ("meeting (facilitator)", "facilitator", f"/meetings/{crowded.pk}/"),
        ("past meeting (facilitator)", "facilitator", f"/meetings/{past.pk}/"),
        ("meeting .ics", "member", f"/meetings/{crowded.pk}/ical/"),
        ("networking set-up", "facilitator", f"/meetings/{crowded.pk}/networking/"),
        ("theme backlog", "member", "/themes/"),
        ("theme", "member", f"/themes/{theme.pk}/"),
        ("guide contents (visitor)", "visitor", "/guide/"),
        (f"guide chapter of {chapter.n} (visitor)", "visitor", f"/guide/{chapter.slug}/"),
        ("guide chapter (member)", "member", f"/guide/{chapter.slug}/"),
        ("my contributions", "member", "/guide/mine/"),
        ("contribution form", "member", "/guide/contribute/"),
        ("search", "member", "/search/?q=partnership"),
        ("health", "visitor", "/healthz"),
    ]
    if include_pdf:
        pages.append(("guide PDF", "visitor", "/guide/guide.pdf"))
    return cookies, pages


class Gunicorn:
    def __init__(self, workers: int):
        self.port = free_port()
        self.workers = workers
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            # Production refuses any Host but the exact names served: here, with the free port.
            env={**_env(), "DJANGO_ALLOWED_HOSTS": f"{HOST},{HOST}:{self.port}"},
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if fetch(self.url("/bench/bare/"), "")[0] == 200:
                    return self
            except OSError:  # not listening yet, or a worker still importing
                pass
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(30)

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def worker_rss_mb(self) -> list[float]:
        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        sizes = []
        for pid in children.split():
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        return sizes


def fetch(url: str, cookie: str) -> tuple[int, int]:
    request = urllib.request.Request(url, headers=_headers(cookie))
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, len(error.read())


def _headers(cookie: str) -> dict:
    headers = {"X-Forwarded-Proto": "https", "Accept-Language": "en"}
    if cookie:
        headers["Cookie"] = cookie
    return headers


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, cookie: str, duration: int, connections: int, script: str | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for name, value in _headers(cookie).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    result["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    for label, key in (("50%", "p50"), ("99%", "p99")):
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output).groups()
        result[key] = float(value) * UNITS[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["errors"] = int(errors.group(1)) if errors else 0
    return result


def mixed_script(pages, cookies, host: str) -> str:
    """A wrk script that cycles through every page with its role's cookie."""
    lines = ["local requests = {}"]
    for _, role, path in pages:
        # wrk.format drops wrk's own headers, Host included: production refuses a request without it.
        headers = ", ".join(f'["{k}"] = "{v}"' for k, v in {"Host": host, **_headers(cookies[role])}.items())
        lines.append(f'table.insert(requests, wrk.format("GET", "{path}", {{{headers}}}))')
    lines += [
        "local n = 0",
        "request = function()",
        "  n = n + 1",
        "  return requests[(n % #requests) + 1]",
        "end",
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write("\n".join(lines))
    return handle.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", action="store_true", help="scale the data first (bench/seed_scale.py)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="bare/page alternations per page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pdf", action="store_true", help="also load the guide PDF")
    parser.add_argument("--only", help="only pages whose name contains this")
    parser.add_argument("--mixed", type=int, default=10_000, help="mixed requests before reading the RSS")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        raise SystemExit("Set DATABASE_URL (PostgreSQL) and REDIS_URL.")

    prepare(args.seed)
    cookies, pages = sessions_and_pages(args.pdf)
    if args.only:
        pages = [page for page in pages if args.only in page[0]]
    results = []
    with Gunicorn(args.workers) as server:
        bare_url = server.url("/bench/bare/")
        header = ("page", "role", "status", "KB", "req/s", "p50 ms", "p99 ms", "ratio")
        print("{:<34} {:<12} {:>6} {:>7} {:>8} {:>7} {:>7} {:>6}".format(*header))
        for name, role, path in pages:
            status, size = fetch(server.url(path), cookies[role])  # warm caches and check the answer
            page_runs, ratios, bare_runs = [], [], []
            for _ in range(args.rounds):
                bare_run = wrk(bare_url, "", args.duration, args.connections)
                page_run = wrk(server.url(path), cookies[role], args.duration, args.connections)
                bare_runs.append(bare_run)
                page_runs.append(page_run)
                ratios.append(page_run["rps"] / bare_run["rps"])
            row = {
                "page": name,
                "role": role,
                "path": path,
                "status": status,
                "kb": round(size / 1024, 1),
                "rps": round(statistics.median(r["rps"] for r in page_runs), 1),
                "p50_ms": round(statistics.median(r["p50"] for r in page_runs), 2),
                "p99_ms": round(statistics.median(r["p99"] for r in page_runs), 2),
                "bare_rps": round(statistics.median(r["rps"] for r in bare_runs), 1),
                "ratio": round(statistics.median(ratios), 3),
                "errors": sum(r["errors"] for r in page_runs),
            }
            results.append(row)
            print(
                f"{name:<34} {role:<12} {status:>6} {row['kb']:>7} {row['rps']:>8} "
                f"{row['p50_ms']:>7} {row['p99_ms']:>7} {row['ratio']:>6}"
            )
        bare_rps = statistics.median(r["bare_rps"] for r in results) if results else 0
        print(f"bare view: {bare_rps} req/s (median over the run)")

        script = mixed_script(pages, cookies, f"{HOST}:{server.port}")
        sent, duration = 0, 10
        while sent < args.mixed:
            run = wrk(server.url("/"), "", duration, args.connections, script=script)
            sent += run["requests"]
            duration = max(2, int((args.mixed - sent) / max(run["rps"], 1)) + 2)
        rss = server.worker_rss_mb()
        os.unlink(script)
        print(f"after {sent} mixed requests: worker RSS {', '.join(f'{mb:.0f} MB' for mb in rss)}")

    out = BASE_DIR / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "pages.json").write_text(json.dumps({"pages": results, "bare_rps": bare_rps, "rss_mb": rss}, indent=2))


if __name__ == "__main__":
    main()
