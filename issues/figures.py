"""The issue figures of the dashboards (issue 14): what came in, what is open, late or escalated,
how it was resolved and rated, over a period of days in Asia/Shanghai. Each read takes the issues
the caller chose (issues_of: the district's, a chain's, a park's — the facts; access to the chain or
park is checked by the caller) and is one aggregate query whatever their number.

- received: issues submitted in the period;
- open: issues not closed now (OPEN_STATUSES: resolved ones wait for their rating), whenever
  submitted; overdue: the one definition of models.overdue_q, now; escalated: open issues by the
  ladder level they have reached (1 to 3, issues.workflow.LADDER);
- resolved: issues whose resolution falls in the period; on time: by their resolve deadline
  (extensions granted included); median handling time: from submission to resolution, in days;
- satisfaction: satisfied and basically satisfied among the ratings given in the period.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
)
from django.db.models.functions import Extract, TruncMonth
from django.utils import timezone

from chainparty.dates import SHANGHAI, last_of_month
from issues.kpis import SATISFIED, period_bounds, rate
from issues.models import OPEN_STATUSES, Issue, Rating, overdue_q
from issues.workflow import DISTRICT_RUNG

LEVELS = range(1, DISTRICT_RUNG + 1)
DAY_SECONDS = 86400


class Median(Aggregate):
    """PostgreSQL's continuous median of a number (percentile_cont(0.5) WITHIN GROUP)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def issues_of(*, chain_id: int | None = None, park_id: int | None = None) -> QuerySet[Issue]:
    """The issues behind a dashboard: the district's, a chain's, or those of a park's enterprises."""
    issues = Issue.objects.all()
    if chain_id is not None:
        issues = issues.filter(chain_id=chain_id)
    if park_id is not None:
        issues = issues.filter(enterprise__park_id=park_id)
    return issues


def _days(seconds: float | None) -> Decimal | None:
    if seconds is None:
        return None
    return (Decimal(seconds) / DAY_SECONDS).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def issue_figures(issues: QuerySet[Issue], *, start: date, end: date, at: datetime | None = None) -> dict[str, Any]:
    """The figures of these issues for the period, as of `at` (now): two queries on PostgreSQL (the
    issues' counts with their median, the ratings), a third on SQLite, which has no median and
    reads the handling times of the period's resolutions to take it in Python."""
    now = at or timezone.now()
    since, until = period_bounds(start, end)
    received = Q(created_at__gte=since, created_at__lt=until)
    is_open = Q(status__in=OPEN_STATUSES)
    resolved = Q(resolved_at__gte=since, resolved_at__lt=until)
    handling = Extract(ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField()), "epoch")
    aggregates: dict[str, Any] = {
        "received": Count("pk", filter=received),
        "open": Count("pk", filter=is_open),
        "overdue": Count("pk", filter=overdue_q(now)),
        "resolved": Count("pk", filter=resolved),
        "resolved_on_time": Count("pk", filter=resolved & Q(resolved_at__lte=F("resolve_due_at"))),
        **{f"escalated_{level}": Count("pk", filter=is_open & Q(escalation_level=level)) for level in LEVELS},
    }
    postgres = connection.vendor == "postgresql"
    if postgres:
        aggregates["median_seconds"] = Median(handling, filter=resolved)
    figures = issues.order_by().aggregate(**aggregates)
    if not postgres:
        seconds = [
            (resolved_at - created_at).total_seconds()
            for created_at, resolved_at in issues.filter(resolved).values_list("created_at", "resolved_at")
            if resolved_at is not None
        ]
        figures["median_seconds"] = median(seconds) if seconds else None
    ratings = Rating.objects.filter(
        issue__in=issues.values("pk"), created_at__gte=since, created_at__lt=until
    ).aggregate(rated=Count("pk"), satisfied=Count("pk", filter=Q(satisfaction__in=SATISFIED)))
    median_seconds = figures.pop("median_seconds")
    return {
        **figures,
        **ratings,
        "escalated": sum(figures[f"escalated_{level}"] for level in LEVELS),
        "on_time_rate": rate(figures["resolved_on_time"], figures["resolved"]),
        "satisfaction_rate": rate(ratings["satisfied"], ratings["rated"]),
        "median_days": _days(median_seconds),
    }


def monthly_trend(issues: QuerySet[Issue], *, months: list[date]) -> list[dict[str, Any]]:
    """Issues received and resolved in each month of `months` (first days, in order). Two queries."""
    if not months:
        return []
    since, until = period_bounds(months[0], last_of_month(months[-1]))
    received = _by_month(issues.filter(created_at__gte=since, created_at__lt=until), "created_at")
    resolved = _by_month(issues.filter(resolved_at__gte=since, resolved_at__lt=until), "resolved_at")
    return [{"month": m, "received": received.get(m, 0), "resolved": resolved.get(m, 0)} for m in months]


def _by_month(issues: QuerySet[Issue], field: str) -> dict[date, int]:
    rows = issues.order_by().annotate(month=TruncMonth(field, tzinfo=SHANGHAI)).values("month").annotate(n=Count("pk"))
    return {_as_day(row["month"]): row["n"] for row in rows}


def _as_day(value: date | datetime) -> date:
    return value.astimezone(SHANGHAI).date() if isinstance(value, datetime) else value


def list_attention_issues(issues: QuerySet[Issue], *, at: datetime | None = None, limit: int = 10) -> list[Issue]:
    """The open issues that most need a leader's eye: the highest ladder level first, then the least
    time left; each with `is_overdue`. One query."""
    now = at or timezone.now()
    return list(
        issues.filter(status__in=OPEN_STATUSES)
        .filter(Q(escalation_level__gte=1) | overdue_q(now))
        .select_related("enterprise", "lead_unit")
        .annotate(is_overdue=ExpressionWrapper(overdue_q(now), output_field=BooleanField()))
        .order_by("-escalation_level", F("resolve_due_at").asc(nulls_last=True), "pk")[:limit]
    )
