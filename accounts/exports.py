"""The audit trail as an Excel export (chainparty.jobs), for the audit administrator alone. The
parameters are the admin list's query string, so the file holds what the filtered list shows."""

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent, AuditKind, User
from accounts.roles import Role
from chainparty import jobs
from chainparty.dates import start_of_day
from chainparty.spreadsheets import Column

COLUMNS = [
    Column("at", _("time"), width=20),
    Column("kind", _("event"), width=16),
    Column("actor", _("actor")),
    Column("ip_address", _("client address")),
    Column("target", _("object"), width=30),
    Column("detail", _("detail"), width=40),
]


def _instant(value: str):
    moment = parse_datetime(value)
    if moment is not None:
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    day = parse_date(value)
    return start_of_day(day) if day else None


def filter_events(events: QuerySet[AuditEvent], params: QueryDict) -> QuerySet[AuditEvent]:
    """The admin list's filters: event kind, the date range, the search box (actor, address, object)."""
    kind = params.get("kind__exact") or params.get("kind")
    if kind in AuditKind.values:
        events = events.filter(kind=kind)
    for key, lookup in (("at__gte", "at__gte"), ("at__lt", "at__lt")):
        moment = _instant(params.get(key, ""))
        if moment is not None:
            events = events.filter(**{lookup: moment})
    query = params.get("q", "").strip()
    if query:
        events = events.filter(
            Q(actor_name__icontains=query) | Q(ip_address__startswith=query) | Q(target__icontains=query)
        )
    return events


def may_read_audit(user: User) -> bool:
    return user.has_role(Role.AUDIT_ADMIN)


def source(actor: User, params: QueryDict):
    events = filter_events(AuditEvent.objects.order_by("-at", "-pk"), params)
    labels = dict(AuditKind.choices)
    rows = (
        (
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            str(labels.get(e.kind, e.kind)),
            e.actor_name,
            e.ip_address or "",
            e.target,
            e.detail,
        )
        for e in events.iterator()
    )
    return events.count(), rows


EXPORTER = jobs.register_exporter(
    jobs.Exporter(name="accounts.audit", title=_("Audit trail"), columns=COLUMNS, source=source, allowed=may_read_audit)
)
