"""Reading the audit trail in tests: what a test's own steps recorded, after a mark (`mark()`), not
what building the cast recorded."""

from accounts.models import AuditEvent

_SINCE = {"pk": 0}


def mark() -> None:
    """From now on `events` and `only` see the entries written after this call."""
    _SINCE["pk"] = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def events(kind) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind=kind, pk__gt=_SINCE["pk"]).order_by("pk"))


def only(kind) -> AuditEvent:
    found = events(kind)
    assert len(found) == 1, [(e.kind, e.actor_name, e.detail) for e in found]
    return found[0]
