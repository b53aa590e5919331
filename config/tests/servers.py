"""Start and stop the real servers some tests need (S3-compatible storage, PgBouncer, web nodes,
workers) as separate processes on free loopback ports."""

import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float, what: str, process: "Process | None" = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process is not None and process.popen.poll() is not None:
            raise AssertionError(f"{what}: the process exited early.\n{process.output()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}." + (f"\n{process.output()}" if process else ""))
        time.sleep(0.05)


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class Process:
    """A child process whose output goes to a file the test can read."""

    def __init__(self, args: list[str], *, env: dict | None = None, cwd: Path = ROOT):
        self.log = tempfile.NamedTemporaryFile(prefix="kip-test-", suffix=".log", delete=False)  # noqa: SIM115
        self.popen = subprocess.Popen(
            args,
            cwd=cwd,
            env=env if env is not None else os.environ.copy(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def send_signal(self, how: int) -> None:
        """Send ``how`` to the process and what it forked (its own process group)."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, how)

    def stop(self, timeout: float = 15, how: int = signal.SIGTERM) -> None:
        """Ask the process (and what it forked) to stop, then kill it if it does not.

        ``how=signal.SIGQUIT`` stops gunicorn and Celery at once instead of gracefully."""
        if self.popen.poll() is None:
            self.send_signal(how)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(5)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


def database_url(database: dict, *, port: int | None = None) -> str:
    """A DATABASE_URL for another process to reach the (test) database ``database`` describes."""
    credentials = database["USER"] or "postgres"
    if database["PASSWORD"]:
        credentials += f":{database['PASSWORD']}"
    host = database["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{port or database['PORT'] or 5432}/{database['NAME']}"


def child_environment(**variables: str) -> dict[str, str]:
    """This process's environment for a child Django process, with ``variables`` on top."""
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return inherited | variables
