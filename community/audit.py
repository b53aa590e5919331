"""Writing to the audit trail: community is the bottom app, so every app may call ``record``."""

from .enums import AuditKind
from .models import AuditEntry


def record(*, kind: str, actor, target, note: str = "", url: str | None = None) -> AuditEntry:
    """Record that ``actor`` took the decision ``kind`` on ``target``.

    Call it inside the transaction that makes the change, so the entry exists exactly when
    the change does. ``target`` is any object: its ``str`` is kept, and ``url`` or, when not
    given, the target's ``get_absolute_url``. No other side effects.
    """
    if url is None:
        get_url = getattr(target, "get_absolute_url", None)
        url = get_url() if get_url else ""
    return AuditEntry.objects.create(
        kind=AuditKind(kind),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=str(actor)[:150] if actor is not None else "",
        target_label=str(target)[:300],
        target_url=url[:300],
        note=note.strip(),
    )
