"""Prometheus metrics for the operator, at /metrics.

The reminder figures are read from the delivery table at scrape time, so every web node
answers the same numbers whichever process sent the mails. The endpoint exists only when
``METRICS_TOKEN`` or ``METRICS_ALLOWED_IPS`` is set, and answers only a request that brings
the token or comes from an allowed address.
"""

import hmac
import ipaddress

from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from community.adapters import client_ip_from
from meetings.reminders.enums import DeliveryKind, DeliveryStatus
from meetings.reminders.models import Delivery


class DeliveryCollector:
    """Reminder and notice emails by state: sent, failed, pending (waiting or being sent), skipped."""

    def collect(self):
        counts = {(kind, status): 0 for kind in DeliveryKind.values for status in DeliveryStatus.values}
        for row in Delivery.objects.values("kind", "status").annotate(n=Count("pk")).order_by():
            counts[(row["kind"], row["status"])] = row["n"]

        def total(kinds, statuses):
            return sum(counts[(kind, status)] for kind in kinds for status in statuses)

        reminder = [DeliveryKind.REMINDER]
        notices = [DeliveryKind.RESCHEDULED, DeliveryKind.CANCELLED]
        pending = [DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]
        for name, statuses, doc in (
            ("sent", [DeliveryStatus.SENT], "Meeting reminders accepted by the mail server."),
            ("failed", [DeliveryStatus.FAILED], "Meeting reminders given up after the last attempt."),
            ("pending", pending, "Meeting reminders due and not sent yet (waiting or being sent)."),
            ("skipped", [DeliveryStatus.SKIPPED], "Meeting reminders not sent (too late, member opted out)."),
        ):
            yield GaugeMetricFamily(f"keepinpact_reminders_{name}", doc, value=total(reminder, statuses))
        family = GaugeMetricFamily(
            "keepinpact_deliveries", "Reminder and change-notice emails by kind and state.", labels=["kind", "status"]
        )
        for (kind, status), value in sorted(counts.items()):
            family.add_metric([kind, status], value)
        yield family
        yield GaugeMetricFamily(
            "keepinpact_notices_pending", "Change notices not sent yet.", value=total(notices, pending)
        )


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DeliveryCollector())
    return registry


def _allowed_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in settings.METRICS_ALLOWED_IPS:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def _authorised(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return True
    # Behind the load balancer the peer is the balancer: judge the client's own address.
    client = client_ip_from(request.META, settings.TRUSTED_PROXY_COUNT) or request.META.get("REMOTE_ADDR", "")
    return _allowed_address(client)


@never_cache
def metrics(request):
    if not (settings.METRICS_TOKEN or settings.METRICS_ALLOWED_IPS):
        raise Http404
    if not _authorised(request):
        return HttpResponseForbidden("Forbidden\n", content_type="text/plain")
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
