"""Request ids and JSON logs, on the web nodes and in the Celery workers.

Each request gets an id (the load balancer's ``X-Request-ID`` when it is trusted, a fresh one
otherwise), returned in the response header and written on every log line of the request. The
tasks the request queues carry it in their message headers, so a worker's log lines for them
carry it too: one id follows a click from the load balancer to the email it sent.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from celery import signals
from django.conf import settings

REQUEST_ID_HEADER = "X-Request-ID"
# Name of the Celery message header that carries the id (Celery puts headers on task.request).
TASK_HEADER = "kip_request_id"
# What we accept from a trusted proxy: short, and nothing that could forge a log line.
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
task_var: contextvars.ContextVar[tuple[str, str]] = contextvars.ContextVar("task", default=("", ""))

logger = logging.getLogger("keepinpact.tasks")


def new_request_id() -> str:
    return uuid.uuid4().hex


def incoming_request_id(request) -> str:
    """The id to use for this request: the trusted header's when valid, else a fresh one."""
    if settings.REQUEST_ID_TRUST_HEADER:
        value = request.headers.get(REQUEST_ID_HEADER, "")
        if _VALID_ID.fullmatch(value):
            return value
    return new_request_id()


class RequestIdMiddleware:
    """Give each request an id, keep it in the logging context, and return it in a header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = incoming_request_id(request)
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Put the current request id and task on every record (empty outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a request's 4xx/5xx after the middleware returned: the id is on the request.
        request = getattr(record, "request", None)
        record.request_id = request_id_var.get() or getattr(request, "request_id", "")
        record.task_name, record.task_id = task_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request and task ids."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id_var.get(),
        }
        task_name, task_id = getattr(record, "task_name", ""), getattr(record, "task_id", "")
        if not task_name:
            task_name, task_id = task_var.get()
        if task_name:
            entry["task"] = task_name
            entry["task_id"] = task_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


# --- Celery: carry the id from the request that queued a task into the worker that runs it ------


@signals.before_task_publish.connect(weak=False)
def _put_request_id_in_headers(headers=None, **kwargs):
    request_id = request_id_var.get()
    if headers is not None and request_id and TASK_HEADER not in headers:
        headers[TASK_HEADER] = request_id


@signals.task_prerun.connect(weak=False)
def _task_context_start(task_id=None, task=None, **kwargs):
    # Eager tasks (quick start) run inside the request and keep its id; a task with no request
    # behind it (beat) gets an id of its own, so its lines still group.
    request_id = getattr(task.request, TASK_HEADER, None) or request_id_var.get() or new_request_id()
    task.request.kip_tokens = (request_id_var.set(request_id), task_var.set((task.name, task_id or "")))
    logger.info("task started")


@signals.task_postrun.connect(weak=False)
def _task_context_end(task=None, state=None, **kwargs):
    logger.info("task finished: %s", state)
    tokens = getattr(task.request, "kip_tokens", None)
    if tokens:
        request_token, task_token = tokens
        task.request.kip_tokens = None
        task_var.reset(task_token)
        request_id_var.reset(request_token)
