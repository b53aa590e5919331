from django.db.models import QuerySet

from .enums import AuditKind
from .models import AuditEntry


def audit_entries(*, kind: str = "") -> QuerySet[AuditEntry]:
    """The trail, newest first, optionally of one kind (an unknown kind gives nothing)."""
    entries = AuditEntry.objects.select_related("actor").order_by("-at", "-pk")
    if kind:
        entries = entries.filter(kind=kind) if kind in AuditKind.values else entries.none()
    return entries
