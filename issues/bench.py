"""The issues app's benchmark data and hot reads (`manage.py bench`, `manage.py bench_issues`).

`seed_issues` writes benchmark issues in bulk with issues.synthetic (the generator of the demo's
year: the services' rules, not the services), on top of the demo world. The registered cases are the
issue list as a unit handler and as an industry party committee (page 1 and a deep page), the unit
KPIs, and the deadline sweep in its steady state and right after a catch-up; each beside its floor,
the one hand-written SQL statement that returns the same rows. Figures: docs/benchmarks.md.
"""

import time
from collections import Counter
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import Role
from chainparty import keyset
from chainparty.bench import Bound, floor_rows, register
from chainparty.dates import SHANGHAI
from issues import kpis
from issues.models import (
    LIVE_SHARES,
    Issue,
    IssueAlert,
)
from issues.selectors import list_issues_for_user
from issues.sweep import STEPS, _col, sweep_deadlines
from issues.synthetic import Mix, Texts, generate

MARK = "【基准】"
BATCH = 5000
PAGE_SIZE = 50  # the API's (REST_FRAMEWORK["PAGE_SIZE"])
DEEP_PAGE = 300  # the issue's "page 300", or the last page when there are fewer
# The benchmark's odds (issues.synthetic.Mix): more of the issues recent and late than the demo's
# year, so that about a tenth are overdue and every rung of the ladder is well represented.
BENCH_MIX = Mix(recent=0.4, late_resolve=0.45)
BENCH_SEED = 20260930


def benchmark_issue_count() -> int:
    return Issue.objects.filter(title__startswith=MARK).count()


def _texts(index: int, category, rng) -> Texts:
    return Texts(title=f"{MARK}{category.name}诉求{index:06d}", description="基准测试数据", answer="已办结")


def seed_issues(total: int, *, log=None) -> int:
    """Top the benchmark issues up to `total` (issues.synthetic, the demo year's generator: whole
    lives with their timelines, shares, alerts and ratings), then ANALYZE; returns how many were
    added. Needs the demo world (seed_demo)."""
    offset = benchmark_issue_count()
    count = max(0, total - offset)
    if not count:
        return 0
    added = generate(
        indexes=range(offset, offset + count),
        texts=_texts,
        key=lambda index: None,
        seed=BENCH_SEED,
        mix=BENCH_MIX,
        log=log,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE issues_issue; ANALYZE issues_issueshare; ANALYZE issues_issueevent")
    return added


# --- the issue list ----------------------------------------------------------------------------------
# The floor's scope for a unit handler, by hand: its unit's live shares, and what escalated to it as
# the lead unit's industry party committee. The count over the UNION of the two sets (an InitPlan,
# computed once); the page by walking created_at.
_LIST_FLOOR = """
SELECT i.id, i.number, i.title, i.status, e.name, c.name, k.name, l.name,
       (SELECT count(*) FROM (SELECT s.issue_id FROM issues_issueshare s
                              WHERE s.unit_id = %(unit)s AND s.status IN %(live)s
                              UNION
                              SELECT x.id FROM issues_issue x
                              WHERE x.escalation_level >= 1 AND x.lead_unit_id IN
                                    (SELECT u.id FROM accounts_unit u WHERE u.industry_committee_id = %(unit)s)) v)
FROM issues_issue i
JOIN chains_enterprise e ON e.id = i.enterprise_id
LEFT JOIN chains_chain c ON c.id = i.chain_id
JOIN issues_issuecategory k ON k.id = i.category_id
LEFT JOIN accounts_unit l ON l.id = i.lead_unit_id
WHERE (i.id IN (SELECT s.issue_id FROM issues_issueshare s WHERE s.unit_id = %(unit)s AND s.status IN %(live)s)
       OR (i.escalation_level >= 1
           AND i.lead_unit_id IN (SELECT u.id FROM accounts_unit u WHERE u.industry_committee_id = %(unit)s)))
  AND (i.created_at, i.id) < (%(before)s, %(before_id)s)
ORDER BY i.created_at DESC, i.id DESC
LIMIT %(limit)s
"""
LIVE = tuple(str(status) for status in LIVE_SHARES)


def _unit_handler(username: str) -> User | None:
    user = User.objects.filter(username=username, is_active=True).first()
    # The floor writes the unit handler's scope only: a user with another business role sees more.
    if user is None or not user.unit_id or set(user.roles) != {Role.UNIT_HANDLER}:
        return None
    return user


def _page_rows(response) -> tuple[list[int], int]:
    body = response.json()
    return [row["id"] for row in body["results"]], body["count"]


def _floor_page(unit_id: int, before) -> tuple[list[int], int]:
    """The page after the row `before` (created_at, id): the keyset floor at any depth."""
    params = {"unit": unit_id, "live": LIVE, "limit": PAGE_SIZE, "before": before[0], "before_id": before[1]}
    rows = floor_rows(_LIST_FLOOR, params)
    return [row[0] for row in rows], (rows[0][-1] if rows else 0)


def _list_case(username: str, *, deep: bool):
    """Page 1, or the page 300 (the last when fewer) as a client walking `next` reaches it: a cursor
    after the last row of the page before."""
    user = _unit_handler(username)
    if user is None:
        yield None
        return
    client = APIClient()
    client.force_authenticate(user)
    _, count = _page_rows(client.get("/api/v1/issues/"))
    page = max(1, min(DEEP_PAGE, -(-count // PAGE_SIZE))) if deep else 1
    url, before = "/api/v1/issues/", (timezone.now() + timedelta(days=3650), 0)
    if page > 1:
        issues = list_issues_for_user(user)
        previous = issues[(page - 1) * PAGE_SIZE - 1]
        url += "?" + urlencode({"cursor": keyset.encode(previous, keyset.ordering(issues) or [])})
        before = (previous.created_at, previous.pk)
    yield Bound(
        label=f"GET /api/v1/issues/ page {page} ({'after a cursor' if page > 1 else 'first'}) as {username} "
        f"({user.unit}; {count:,} visible)",
        read=lambda: _page_rows(client.get(url)),
        floor=lambda: _floor_page(user.unit_id, before),
    )


def _list_factory(username: str, *, deep: bool):
    def factory(context):
        yield from _list_case(username, deep=deep)

    return factory


# A unit handler's list (its unit's shares) and an industry party committee's (what escalated to it).
for _name, _username in (("handler", "handler"), ("committee", "handler.ic")):
    register(f"issues.list.{_name}", goal=2)(_list_factory(_username, deep=False))
    register(f"issues.list.{_name}.deep", goal=2)(_list_factory(_username, deep=True))


# --- unit KPIs -----------------------------------------------------------------------------------------
# Every active unit's figures over one year of shares, without COUNT(DISTINCT): the to-many rows
# (ratings, extension requests) are counted per issue first and joined once per share.
_KPI_FLOOR = """
SELECT s.unit_id,
  count(*),
  count(*) FILTER (WHERE s.status <> 'cancelled' AND (s.signed_at IS NOT NULL OR s.sign_due_at < %(now)s)),
  count(*) FILTER (WHERE s.status <> 'cancelled' AND s.signed_at <= s.sign_due_at),
  count(*) FILTER (WHERE s.role = 'lead' AND s.status IN %(live)s AND i.status IN ('resolved', 'closed')
                   AND i.resolved_at IS NOT NULL),
  count(*) FILTER (WHERE s.role = 'lead' AND s.status IN %(live)s AND i.status IN ('resolved', 'closed')
                   AND i.resolved_at IS NOT NULL AND i.resolved_at <= i.resolve_due_at),
  coalesce(sum(r.rated) FILTER (WHERE s.role = 'lead' AND s.status IN %(live)s), 0),
  coalesce(sum(r.satisfied) FILTER (WHERE s.role = 'lead' AND s.status IN %(live)s), 0),
  count(*) FILTER (WHERE s.status = 'returned'),
  coalesce(sum((SELECT count(*) FROM issues_extensionrequest x WHERE x.issue_id = s.issue_id
                AND x.unit_id = s.unit_id)), 0),
  count(*) FILTER (WHERE s.role = 'lead' AND s.status IN %(live)s AND i.status IN ('dispatched', 'in_progress')
                   AND i.resolve_due_at < %(now)s),
  (SELECT count(*) FROM issues_urge g
   WHERE g.unit_id = s.unit_id AND g.created_at >= %(since)s AND g.created_at < %(until)s)
FROM issues_issueshare s
JOIN issues_issue i ON i.id = s.issue_id
LEFT JOIN (SELECT issue_id, count(*) AS rated,
                  count(*) FILTER (WHERE satisfaction IN ('satisfied', 'basically')) AS satisfied
           FROM issues_rating GROUP BY issue_id) r ON r.issue_id = s.issue_id
WHERE s.created_at >= %(since)s AND s.created_at < %(until)s
  AND s.unit_id IN (SELECT id FROM accounts_unit WHERE is_active)
GROUP BY s.unit_id
ORDER BY s.unit_id
"""


def kpi_period() -> tuple[date, date]:
    today = timezone.now().astimezone(SHANGHAI).date()
    return today - timedelta(days=365), today


@register("issues.kpis", goal=2)
def unit_kpis_case(context):
    start, end = kpi_period()
    now = timezone.now()
    since, until = kpis.period_bounds(start, end)

    def read():
        rows = kpis.unit_kpis(start=start, end=end, at=now)
        return sorted((row["unit"].pk, *(row[name] for name in kpis.FIGURES)) for row in rows if row["dispatched"])

    def floor():
        return [
            tuple(row) for row in floor_rows(_KPI_FLOOR, {"now": now, "since": since, "until": until, "live": LIVE})
        ]

    yield Bound(label=f"unit_kpis(every active unit, {start} to {end})", read=read, floor=floor)


# --- the deadline sweep ----------------------------------------------------------------------------------
def _sweep_floor_sql() -> str:
    """What every step of the sweep would find to do now: one UNION ALL, an anti-join per step on
    the alerts' unique index. The sweep's read half, without its writes."""
    parts = []
    for number, step in enumerate(STEPS):
        due = _col(Issue, step.due_column)
        timely = ""
        if step.pointless_after:
            deadline = _col(Issue, step.pointless_after)
            timely = f"AND (i.{deadline} IS NULL OR i.{deadline} > %(at)s) "
        # Column names from the declared steps; every value is a parameter.
        parts.append(
            f"SELECT %(kind{number})s, i.id FROM issues_issue i WHERE i.status IN %(statuses{number})s "  # noqa: S608
            f"AND i.{due} IS NOT NULL AND i.{due} <= %(at)s {timely}"
            f"AND NOT EXISTS (SELECT 1 FROM issues_issuealert x WHERE x.issue_id = i.id "
            f"AND x.kind = %(kind{number})s AND x.cycle = i.handling_cycle)"
        )
    return " UNION ALL ".join(parts)


def _sweep_floor_params(at) -> dict:
    params: dict = {"at": at}
    for number, step in enumerate(STEPS):
        params[f"kind{number}"] = str(step.kind)
        params[f"statuses{number}"] = tuple(str(status) for status in step.statuses)
    return params


def _analyze_alerts() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE issues_issuealert")


def _sweep_bound(label: str, *, settle=None) -> Bound:
    sql = _sweep_floor_sql()

    def read():
        return {kind: n for kind, n in sweep_deadlines().items() if n}

    def floor():
        return dict(Counter(kind for kind, _ in floor_rows(sql, _sweep_floor_params(timezone.now()))))

    return Bound(label=label, read=read, floor=floor, settle=settle)


@register("issues.sweep.steady", goal=3)
def steady_sweep(context):
    sweep_deadlines()  # whatever fell due since the last run, so that the timed runs find nothing
    yield _sweep_bound(f"sweep_deadlines() with nothing new ({IssueAlert.objects.count():,} alerts)")


@register("issues.sweep.after_catchup", goal=3)
def sweep_after_catchup(context):
    """A district coming back from downtime: no alert recorded yet and the statistics saying so
    (ANALYZE of the empty table), then one catch-up sweep writes them all; the sweep that follows
    must not be planned on the stale figures. Its floor is timed after an ANALYZE: what the database
    does with the same rows and fresh figures. All in one transaction, rolled back."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM issues_issuealert")
            cursor.execute("UPDATE issues_issue SET escalation_level = 0 WHERE escalation_level > 0")
            cursor.execute("ANALYZE issues_issuealert")
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            counts = sweep_deadlines()
            seconds = time.perf_counter() - began
        done = ", ".join(f"{kind} {n:,}" for kind, n in counts.items() if n)
        context.note(
            f"catch-up sweep: {seconds * 1000:.0f} ms, {len(queries)} queries, {sum(counts.values()):,} alerts ({done})"
        )
        yield _sweep_bound(
            f"sweep_deadlines() right after that catch-up ({IssueAlert.objects.count():,} alerts)",
            settle=_analyze_alerts,
        )
        transaction.set_rollback(True)
    _analyze_alerts()  # the rollback left the empty table's figures behind
