"""A real SMTP server and a real Celery worker process, one of each per test module that asks
(registered for every app's tests in the root ``conftest.py``). Each module keeps its own
``mail_server`` fixture: the settings and the server's delay it hands out work with."""

import pytest

from config.celery import app

from .processes import SmtpServer, WorkerProcess, purge_queues


@pytest.fixture(scope="module")
def smtp(tmp_path_factory):
    server = SmtpServer(tmp_path_factory.mktemp("smtp")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def worker(django_db_setup, smtp, tmp_path_factory):
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    purge_queues()
    process = WorkerProcess(smtp=smtp, directory=tmp_path_factory.mktemp("worker")).start()
    yield process
    process.stop()
    app.conf.task_always_eager = eager
