"""Request ids, JSON log lines, and the operator's metrics endpoint."""

import io
import json
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from community.tests.factories import UserFactory
from config.observability import JsonFormatter, RequestIdFilter, request_id_var
from meetings.reminders.enums import DeliveryKind, DeliveryStatus
from meetings.reminders.models import Delivery
from meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

TOKEN = "a-metrics-token-only-the-operator-knows"


@pytest.fixture
def json_log():
    """The application's JSON handler on the root logger, writing to a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_each_response_carries_a_fresh_request_id_when_the_header_is_not_trusted(client, settings):
    settings.REQUEST_ID_TRUST_HEADER = False

    first = client.get("/healthz", HTTP_X_REQUEST_ID="forged-by-a-client")
    second = client.get("/healthz")

    assert first["X-Request-ID"] != "forged-by-a-client"
    assert len(first["X-Request-ID"]) == 32 and len(second["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_trusted_request_id_is_kept_and_a_malformed_one_replaced(client, settings):
    settings.REQUEST_ID_TRUST_HEADER = True

    kept = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234.abcd")
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID='bad id\n{"level": "ERROR"}')

    assert kept["X-Request-ID"] == "lb-1234.abcd"
    assert len(replaced["X-Request-ID"]) == 32


def test_not_found_logs_one_json_line_with_the_request_id(member_client, json_log):
    response = member_client.get("/meetings/999999/")

    lines = [entry for entry in json_log() if entry["logger"] == "django.request"]
    assert response.status_code == 404
    assert [(line["level"], line["message"], line["request_id"]) for line in lines] == [
        ("WARNING", "Not Found: /meetings/999999/", response["X-Request-ID"])
    ]
    assert set(lines[0]) == {"time", "level", "logger", "message", "request_id"}


def test_eager_task_logs_carry_the_request_id_of_the_request_that_queued_it(json_log):
    from meetings.reminders.tasks import dispatch_reminders

    token = request_id_var.set("req-42")
    try:
        dispatch_reminders.delay()
    finally:
        request_id_var.reset(token)

    task_lines = [entry for entry in json_log() if entry["logger"] == "keepinpact.tasks"]
    assert [(line["message"], line["request_id"], line["task"]) for line in task_lines] == [
        ("task started", "req-42", "meetings.reminders.tasks.dispatch_reminders"),
        ("task finished: SUCCESS", "req-42", "meetings.reminders.tasks.dispatch_reminders"),
    ]
    assert request_id_var.get() == ""


def _deliveries(**per_status):
    meeting = MeetingFactory()
    now = timezone.now()
    state = {
        DeliveryStatus.SENT: {"sent_at": now},
        DeliveryStatus.CLAIMED: {"claimed_at": now, "claim_token": "worker-1"},
    }
    rows = []
    for status, count in per_status.items():
        rows += [
            Delivery(
                meeting=meeting,
                member=UserFactory(),
                starts_at=meeting.starts_at,
                offset_minutes=60,
                status=status,
                **state.get(status, {}),
            )
            for _ in range(count)
        ]
    notice = Delivery(
        meeting=meeting, member=UserFactory(), starts_at=meeting.starts_at, kind=DeliveryKind.CANCELLED, sent_at=None
    )
    Delivery.objects.bulk_create([*rows, notice])


def _samples(text: str) -> dict[str, float]:
    return {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line and not line.startswith("#")
    }


def test_metrics_do_not_exist_unless_configured(client, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = "", []

    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


def test_metrics_refused_without_the_token_or_with_a_wrong_one(client, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = TOKEN, []

    assert client.get(reverse("metrics")).status_code == 403
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer not-the-token").status_code == 403
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION=TOKEN).status_code == 403


def test_metrics_count_reminders_sent_failed_and_pending(client, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = TOKEN, []
    _deliveries(sent=3, failed=1, pending=2, claimed=1, skipped=4)

    response = client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    samples = _samples(response.content.decode())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert {name: samples[f"keepinpact_reminders_{name}"] for name in ("sent", "failed", "pending", "skipped")} == {
        "sent": 3.0,
        "failed": 1.0,
        "pending": 3.0,
        "skipped": 4.0,
    }
    assert samples["keepinpact_notices_pending"] == 1.0
    assert samples['keepinpact_deliveries{kind="reminder",status="claimed"}'] == 1.0
    assert samples['keepinpact_deliveries{kind="cancelled",status="pending"}'] == 1.0


@pytest.mark.parametrize(
    ("allowed", "status"),
    [(["10.0.0.0/8"], 403), (["127.0.0.1"], 200), (["not-an-address", "127.0.0.0/8"], 200)],
)
def test_metrics_from_an_allowed_network_need_no_token(client, settings, allowed, status):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = "", allowed

    assert client.get(reverse("metrics"), REMOTE_ADDR="127.0.0.1").status_code == status


def test_metrics_answer_in_a_fixed_number_of_queries(client, settings, django_assert_num_queries):
    settings.METRICS_TOKEN = TOKEN
    _deliveries(sent=10, failed=10)

    with django_assert_num_queries(1):
        client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert timezone.now()
