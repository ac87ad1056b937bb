"""Unit KPIs for the ranking of design §4.6 ("units are ranked on response, on-time resolution and
satisfaction rates"), computed in SQL with conditional aggregation, whatever the number of units:
one query for the units, one for the figures of their shares, one each for the ratings, the
extension requests and the urges.

The cohort of a period is the shares (IssueShare rows) created in it, by local date in
Asia/Shanghai, both ends included. For each unit:

- dispatched: its shares, lead and co-handling, whatever became of them;
- response rate: shares signed for (签收) by the issue's sign-for deadline, among the shares that are
  due to be judged — signed, or past the deadline unsigned — so a share still within its window
  does not count against the unit; shares cancelled because the lead unit returned the issue are
  left out (the unit lost them through no act of its own);
- on-time rate: among the issues it leads that are resolved or closed, those resolved by the
  resolve deadline (extensions granted included);
- satisfaction rate: satisfied and basically satisfied among every rating of the issues it leads
  (a reopened issue is rated again, and each rating counts);
- returns: its shares returned (退单); extensions: the extension requests it made on the cohort's
  issues; overdue: the issues it leads still in handling past their resolve deadline, now;
- urged: the urges (催办) it received in the period, whatever issue they were about (a third query).

A lead share counts only while it is live (pending, signed or replied): once returned, the issue's
resolution and ratings belong to the next lead unit.

Rates are Decimals from 0 to 1 (four places), or None when nothing is there to divide by. Each
statement joins only what meets each counted row once (a share and its issue; a lead share and its
issue's ratings; a request and, as a semi-join, the unit's shares of its issue), so the counts are
plain: a COUNT(DISTINCT) over the multiplied rows sorted every share of a year through a disk spill.
"""

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from accounts.models import Unit
from accounts.roles import Role
from chainparty.dates import start_of_day
from chainparty.scope import in_business_scope
from chains.models import Chain
from issues.models import (
    LIVE_SHARES,
    ExtensionRequest,
    IssueShare,
    Satisfaction,
    ShareRole,
    ShareStatus,
    Status,
    Urge,
    overdue_q,
)

FOUR_PLACES = Decimal("0.0001")
# What counts as satisfied in a rate (§4.6): satisfied and basically satisfied.
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)
# The counts of each unit's row, in this order.
FIGURES = (
    "dispatched",
    "response_due",
    "responded_on_time",
    "resolved",
    "resolved_on_time",
    "rated",
    "satisfied",
    "returns",
    "extensions",
    "overdue",
    "urged",
)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in Asia/Shanghai."""
    return start_of_day(start), start_of_day(end + timedelta(days=1))


def rate(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def unit_kpis(*, unit_ids=None, start: date, end: date, at: datetime | None = None) -> list[dict]:
    """The KPIs of each unit in `unit_ids` (every active unit when None) for shares created from
    `start` to `end`, as of `at` (now). One dict per unit, in the units' order."""
    now = at or timezone.now()
    since, until = period_bounds(start, end)
    chosen = Unit.objects.filter(is_active=True) if unit_ids is None else Unit.objects.filter(pk__in=list(unit_ids))
    units = list(chosen.order_by("kind", "name"))

    unit_pks = [unit.pk for unit in units]
    cohort = IssueShare.objects.filter(created_at__gte=since, created_at__lt=until, unit__in=unit_pks)
    lead = Q(role=ShareRole.LEAD, status__in=LIVE_SHARES)
    not_cancelled = ~Q(status=ShareStatus.CANCELLED)
    done = Q(issue__status__in=[Status.RESOLVED, Status.CLOSED], issue__resolved_at__isnull=False)
    # A share and its issue are one row each: plain counts, no DISTINCT (and no sort).
    figures = (
        cohort.values("unit_id")
        .order_by()
        .annotate(
            dispatched=Count("pk"),
            response_due=Count("pk", filter=not_cancelled & (Q(signed_at__isnull=False) | Q(sign_due_at__lt=now))),
            responded_on_time=Count("pk", filter=not_cancelled & Q(signed_at__lte=F("sign_due_at"))),
            resolved=Count("pk", filter=lead & done),
            resolved_on_time=Count("pk", filter=lead & done & Q(issue__resolved_at__lte=F("issue__resolve_due_at"))),
            returns=Count("pk", filter=Q(status=ShareStatus.RETURNED)),
            overdue=Count("pk", filter=lead & overdue_q(now, prefix="issue__")),
        )
    )
    # The ratings of the issues each unit leads: a unit has at most one live share of an issue
    # (share_one_live_per_unit), so each rating meets each unit once.
    ratings = (
        cohort.filter(lead)
        .values("unit_id")
        .order_by()
        .annotate(
            rated=Count("issue__ratings"),
            satisfied=Count("issue__ratings", filter=Q(issue__ratings__satisfaction__in=SATISFIED)),
        )
    )
    # The extension requests a unit made on an issue it has a share of in the cohort (a semi-join:
    # a unit's returned and live shares of one issue count its requests once).
    extensions = (
        ExtensionRequest.objects.filter(unit__in=unit_pks)
        .filter(Exists(cohort.filter(issue_id=OuterRef("issue_id"), unit_id=OuterRef("unit_id"))))
        .values("unit_id")
        .order_by()
        .annotate(extensions=Count("pk"))
    )
    urged = (
        Urge.objects.filter(created_at__gte=since, created_at__lt=until, unit__in=unit_pks)
        .values("unit_id")
        .order_by()
        .annotate(urged=Count("pk"))
    )
    by_unit: dict[int, dict[str, Any]] = {}
    parts: tuple[Any, ...] = (figures, ratings, extensions, urged)
    for part in parts:
        for counts in part:
            row_of_unit = by_unit.setdefault(counts["unit_id"], {})
            row_of_unit.update((name, value) for name, value in counts.items() if name != "unit_id")
    zero = dict.fromkeys(FIGURES, 0)
    result = []
    for unit in units:
        row: dict[str, int] = {**zero, **by_unit.get(unit.pk, {})}
        result.append(
            {
                "unit": unit,
                "start": start,
                "end": end,
                **row,
                "response_rate": rate(row["responded_on_time"], row["response_due"]),
                "on_time_rate": rate(row["resolved_on_time"], row["resolved"]),
                "satisfaction_rate": rate(row["satisfied"], row["rated"]),
            }
        )
    return result


def unit_ranking(start: date, end: date, *, at: datetime | None = None) -> list[dict]:
    """The units that had shares in the period, best first: on-time rate, then satisfaction, then
    response rate (a unit with no figure for a rate comes after those that have one), then name.
    Each row is a unit_kpis dict with its `rank` (1-based; equal figures share a rank)."""
    rows = [row for row in unit_kpis(start=start, end=end, at=at) if row["dispatched"]]

    def key(row):
        figures = tuple(row[name] for name in ("on_time_rate", "satisfaction_rate", "response_rate"))
        return tuple((value is None, -(value or 0)) for value in figures)

    rows.sort(key=lambda row: (key(row), row["unit"].name))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if key(row) != previous:
            rank, previous = position, key(row)
        row["rank"] = rank
    return rows


def unit_ranking_for_user(user, start: date, end: date) -> list[dict]:
    """The ranking rows a user may read (kpi_units_for_user), each keeping its district-wide rank."""
    mine = set(kpi_units_for_user(user).values_list("pk", flat=True))
    return [row for row in unit_ranking(start, end) if row["unit"].pk in mine]


def kpi_units_for_user(user):
    """Whose KPIs a user may read: district staff any unit's; a unit handler their own unit's; a
    chain leader those of the units leading or cooperating on their chains. Others none."""
    if not in_business_scope(user):
        return Unit.objects.none()
    if user.is_district_staff:
        return Unit.objects.all()
    scope = Q(pk__in=[])
    if user.has_role(Role.UNIT_HANDLER) and user.unit_id:
        scope |= Q(pk=user.unit_id)
    if user.has_role(Role.CHAIN_LEADER):
        led = Chain.objects.filter(leaderships__user=user)
        scope |= Q(pk__in=led.values("lead_unit_id"))
        scope |= Q(pk__in=Chain.cooperating_units.through.objects.filter(chain__in=led).values("unit_id"))
    return Unit.objects.filter(scope)
