"""Bench cases of the dashboards (chainparty.bench; figures in docs/benchmarks.md): the district's and
the largest chain's dashboard as the API serves them, each beside its floor — the bare SQL aggregates
that produce the same numbers over the big tables (enterprises and their honours, coverage, postings, issues,
ratings; the units' KPIs over the period's shares; 应建未建; the trend's issues by month; a chain's
attention list). The figures over small tables (chains, meetings, plans, segments) and the coverage
trend ride along in the read only, so the floor is, if anything, generous to it."""

from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import Role
from chainparty.bench import Bound, floor_rows, register
from chainparty.dates import start_of_day
from chains.models import SME_SIZES, Chain
from dashboards.figures import ATTENTION_ISSUES
from dashboards.periods import Period, PeriodKind
from issues.bench import _KPI_FLOOR, LIVE
from issues.kpis import SATISFIED
from issues.models import HANDLING_STATUSES, OPEN_STATUSES
from partyorgs.models import SHOULD_ESTABLISH_MEMBERS
from secretaries.models import ENTERPRISE_KINDS, PostingStatus

_ACTIVE_UNITS = "s.unit_id IN (SELECT id FROM accounts_unit WHERE is_active)"
assert _ACTIVE_UNITS in _KPI_FLOOR, "issues.bench's KPI floor changed: say here which units it reads"
_ENTERPRISES = """
SELECT count(*), count(*) FILTER (WHERE e.size_class = ANY(%(smes)s)),
       count(*) FILTER (WHERE o.enterprise_id IS NOT NULL),
       count(*) FILTER (WHERE o.enterprise_id IS NULL AND w.enterprise_id IS NOT NULL)
FROM chains_enterprise e
LEFT JOIN (SELECT DISTINCT enterprise_id FROM partyorgs_orgcoverage) o ON o.enterprise_id = e.id
LEFT JOIN (SELECT DISTINCT enterprise_id FROM secretaries_posting
           WHERE status = %(active)s AND kind = ANY(%(kinds)s) AND start_date <= %(today)s
             AND (end_date IS NULL OR end_date >= %(today)s)) w ON w.enterprise_id = e.id
WHERE {enterprises}
"""
_HONOURS = """
SELECT h.honour, count(DISTINCT h.enterprise_id) FROM chains_enterprisehonour h
JOIN chains_enterprise e ON e.id = h.enterprise_id WHERE {enterprises} GROUP BY h.honour ORDER BY h.honour
"""
_ISSUES = """
SELECT count(*) FILTER (WHERE created_at >= %(since)s AND created_at < %(until)s),
       count(*) FILTER (WHERE status = ANY(%(open)s)),
       count(*) FILTER (WHERE status = ANY(%(handling)s) AND resolve_due_at < %(now)s),
       count(*) FILTER (WHERE status = ANY(%(open)s) AND escalation_level >= 1),
       count(*) FILTER (WHERE resolved_at >= %(since)s AND resolved_at < %(until)s),
       count(*) FILTER (WHERE resolved_at >= %(since)s AND resolved_at < %(until)s AND resolved_at <= resolve_due_at)
FROM issues_issue i WHERE {issues}
"""
_RATINGS = """
SELECT count(*), count(*) FILTER (WHERE r.satisfaction = ANY(%(satisfied)s)) FROM issues_rating r
JOIN issues_issue i ON i.id = r.issue_id
WHERE r.created_at >= %(since)s AND r.created_at < %(until)s AND {issues}
"""

_SHOULD_ESTABLISH = """
SELECT count(*) FROM chains_enterprise e JOIN partyorgs_enterprisepartyprofile p ON p.enterprise_id = e.id
WHERE p.formal_members >= %(members)s AND e.id NOT IN (SELECT enterprise_id FROM partyorgs_orgcoverage)
  AND {enterprises}
"""
# The trend's months: received and resolved issues per month, Asia/Shanghai.
_TREND = """
SELECT 'received', date_trunc('month', created_at AT TIME ZONE 'Asia/Shanghai')::date, count(*) FROM issues_issue i
WHERE created_at >= %(trend_since)s AND created_at < %(until)s AND {issues} GROUP BY 2
UNION ALL
SELECT 'resolved', date_trunc('month', resolved_at AT TIME ZONE 'Asia/Shanghai')::date, count(*) FROM issues_issue i
WHERE resolved_at >= %(trend_since)s AND resolved_at < %(until)s AND {issues} GROUP BY 2
"""
# The open issues that most need a leader's eye (a chain's and a park's dashboards).
_ATTENTION = """
SELECT id FROM issues_issue i
WHERE {issues} AND status = ANY(%(open)s)
  AND (escalation_level >= 1 OR (status = ANY(%(handling)s) AND resolve_due_at < %(now)s))
ORDER BY escalation_level DESC, resolve_due_at ASC NULLS LAST, id LIMIT %(attention)s
"""


def _staff() -> User | None:
    return User.objects.filter(is_active=True, groups__name=Role.DISTRICT_STAFF).order_by("pk").first()


def _case(
    url: str,
    *,
    enterprises: str,
    issues: str,
    chain_id: int | None = None,
    unit_ids: list[int] | None = None,
    served: bool = False,
):
    """The floor has the units' statement too (issues.bench's KPI floor over the period's shares):
    every active unit's for the district (`unit_ids` None), those of `unit_ids` for a chain; and
    (since 2026-12-08) the 应建未建 count, the trend's issues by month and, for a chain, its
    attention list, which the read always had.

    The read computes the figures each time (the cache emptied first), as the first reader of each
    minute does; with `served`, it is every other reader of the minute's (figures.current's cache)."""
    staff = _staff()
    if staff is None:
        yield None
        return
    client = APIClient()
    client.force_authenticate(staff)
    today = timezone.localdate()
    # The period a dashboard opens on (this quarter); its trend still spans the last twelve months.
    period = Period.holding(PeriodKind.QUARTER, today)
    query = period.as_query()
    since, until = start_of_day(period.start), start_of_day(period.end + timedelta(days=1))
    params = {
        "smes": list(SME_SIZES),
        "active": PostingStatus.ACTIVE,
        "kinds": list(ENTERPRISE_KINDS),
        "today": today,
        "since": since,
        "until": until,
        "open": list(OPEN_STATUSES),
        "handling": list(HANDLING_STATUSES),
        "satisfied": list(SATISFIED),
        "chain": chain_id,
        "live": LIVE,
        "units": unit_ids,
        "members": SHOULD_ESTABLISH_MEMBERS,
        "trend_since": start_of_day(period.months[0]),
        "attention": ATTENTION_ISSUES,
    }
    units_floor = _KPI_FLOOR if unit_ids is None else _KPI_FLOOR.replace(_ACTIVE_UNITS, "s.unit_id = ANY(%(units)s)")

    def numbers(data):
        return (
            (
                data["registry"]["enterprises"],
                data["registry"]["smes"],
                data["coverage"]["organization"],
                data["coverage"]["work"],
            ),
            sorted((row["code"], row["enterprises"]) for row in data["registry"]["honours"] if row["enterprises"]),
            tuple(
                data["issues"][name]
                for name in ("received", "open", "overdue", "escalated", "resolved", "resolved_on_time")
            ),
            (data["issues"]["rated"], data["issues"]["satisfied"]),
            sorted((row["id"], row["dispatched"], row["overdue"]) for row in data["units"] if row["dispatched"]),
            data["coverage"]["should_establish"],
            sorted(
                (name, date.fromisoformat(point["month"]), point[name])
                for point in data["trend"]
                for name in ("received", "resolved")
                if point[name]
            ),
            [issue["id"] for issue in data["attention"]],
        )

    def read():
        if not served:
            cache.clear()
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        return response.json()

    def floor():
        now = {**params, "now": timezone.now()}
        return (
            tuple(floor_rows(_ENTERPRISES.format(enterprises=enterprises), now)[0]),
            sorted(tuple(row) for row in floor_rows(_HONOURS.format(enterprises=enterprises), now)),
            tuple(floor_rows(_ISSUES.format(issues=issues), now)[0]),
            tuple(floor_rows(_RATINGS.format(issues=issues), now)[0]),
            sorted((row[0], row[1], row[10]) for row in floor_rows(units_floor, now)),
            floor_rows(_SHOULD_ESTABLISH.format(enterprises=enterprises), now)[0][0],
            sorted(tuple(row) for row in floor_rows(_TREND.format(issues=issues), now)),
            [row[0] for row in floor_rows(_ATTENTION.format(issues=issues), now)] if chain_id is not None else [],
        )

    yield Bound(
        label=f"GET {url} ({period.start} to {period.end})", read=read, floor=floor, rows=lambda: numbers(read())
    )


@register("dashboards.district", goal=2)
def district_dashboard(context):
    yield from _case("/api/v1/dashboard/district/", enterprises="TRUE", issues="TRUE")


# The district dashboard's target (issue 14): under 300 ms, with figures fresh within the minute.
@register("dashboards.district.served", goal=2, limit_ms=300)
def district_dashboard_served(context):
    yield from _case("/api/v1/dashboard/district/", enterprises="TRUE", issues="TRUE", served=True)


@register("dashboards.chain", goal=2)
def chain_dashboard(context):
    chain = Chain.objects.annotate(n=Count("memberships")).order_by("-n", "pk").first()
    if chain is None:
        yield None
        return
    yield from _case(
        f"/api/v1/dashboard/chains/{chain.pk}/",
        enterprises="e.id IN (SELECT enterprise_id FROM chains_chainmembership WHERE chain_id = %(chain)s)",
        issues="i.chain_id = %(chain)s",
        chain_id=chain.pk,
        unit_ids=[chain.lead_unit_id, *chain.cooperating_units.values_list("pk", flat=True)],
    )
