"""Unit KPIs and the ranking: exact figures for a small constructed history, the query
count, the ranking, and who may read GET /api/v1/units/{id}/kpis/."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from issues.kpis import unit_kpis, unit_ranking
from issues.models import ExtensionRequest, Issue, IssueShare, Rating

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
START, END = date(2026, 11, 2), date(2026, 11, 8)  # the period: Monday to Sunday
NOW = datetime(2026, 11, 20, 12, tzinfo=SH)


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SH)


def end_of(day: int) -> datetime:
    return datetime(2026, 11, day, 23, 59, 59, tzinfo=SH)


@pytest.fixture
def history(world, categories):
    """Shares created in the period unless said otherwise ("I<n>" are issues):

    dept_a leads I1 (signed on time, resolved on time, rated satisfied), I2 (signed late, resolved
    late, rated unsatisfied then basically satisfied, one extension), I3 (signed on time, in progress
    past its resolve deadline, one extension), I4 (unsigned past its sign deadline), I7 (unsigned,
    still within its sign window) and returned I5, which dept_b now leads (unsigned, past both
    deadlines); the town's co-share of I5 was cancelled by that return. The town co-handles I1
    (signed late); dept_b co-handles I2 (signed on time). dept_a also leads I6, created after the
    period, with an extension that must not count."""
    category = next(c for c in categories.values() if c.code == "request")

    def issue(status, *, sign_due, resolve_due, resolved=None, lead=None):
        return Issue.objects.create(
            enterprise=world.ent_a1,
            chain=world.chain_a,
            category=category,
            title="题",
            description="述",
            submitted_by=world.contact_a,
            status=status,
            lead_unit=lead,
            sign_due_at=sign_due,
            resolve_due_at=resolve_due,
            resolved_at=resolved,
        )

    def share(issue, unit, role, status, *, created, signed=None):
        # Each share keeps the sign-for deadline it was dispatched with.
        share = IssueShare.objects.create(
            issue=issue, unit=unit, role=role, status=status, signed_at=signed, sign_due_at=issue.sign_due_at
        )
        IssueShare.objects.filter(pk=share.pk).update(created_at=created)

    def extension(issue, unit, status):
        ExtensionRequest.objects.create(
            issue=issue, unit=unit, requested_by=world.handler_a, days=2, reason="需协调", status=status
        )

    dept_a, dept_b, town = world.dept_a, world.dept_b, world.town
    i1 = issue("closed", sign_due=end_of(4), resolve_due=end_of(17), resolved=at(10), lead=dept_a)
    share(i1, dept_a, "lead", "replied", created=at(3), signed=at(4, 9))
    share(i1, town, "co", "replied", created=at(3), signed=at(5, 8))
    Rating.objects.create(issue=i1, rated_by=world.contact_a, satisfaction="satisfied")

    i2 = issue("closed", sign_due=end_of(4), resolve_due=end_of(17), resolved=at(18), lead=dept_a)
    share(i2, dept_a, "lead", "replied", created=at(3), signed=at(5, 9))
    share(i2, dept_b, "co", "replied", created=at(3), signed=at(4, 16))
    Rating.objects.create(issue=i2, rated_by=world.contact_a, satisfaction="unsatisfied")
    Rating.objects.create(issue=i2, rated_by=world.contact_a, satisfaction="basically")
    extension(i2, dept_a, "granted")

    i3 = issue("in_progress", sign_due=end_of(4), resolve_due=end_of(17), lead=dept_a)
    share(i3, dept_a, "lead", "signed", created=at(3), signed=at(4, 23, 59))
    extension(i3, dept_a, "denied")

    i4 = issue("dispatched", sign_due=end_of(4), resolve_due=end_of(25), lead=dept_a)
    share(i4, dept_a, "lead", "pending", created=at(3))

    i5 = issue("dispatched", sign_due=end_of(9), resolve_due=end_of(19), lead=dept_b)
    share(i5, dept_a, "lead", "returned", created=at(2))
    share(i5, town, "co", "cancelled", created=at(2))
    share(i5, dept_b, "lead", "pending", created=at(6))

    i6 = issue("in_progress", sign_due=end_of(10), resolve_due=end_of(17), lead=dept_a)
    share(i6, dept_a, "lead", "signed", created=at(9, 0, 30), signed=at(9, 11))
    extension(i6, dept_a, "denied")

    i7 = issue("dispatched", sign_due=end_of(23), resolve_due=end_of(30), lead=dept_a)
    share(i7, dept_a, "lead", "pending", created=at(8, 23, 30))
    return world


def figures(rows, unit) -> dict:
    (row,) = [r for r in rows if r["unit"].pk == unit.pk]
    return {key: value for key, value in row.items() if key not in ("unit", "start", "end")}


def test_unit_kpis_of_a_constructed_history(history):
    world = history
    rows = unit_kpis(start=START, end=END, at=NOW)
    assert figures(rows, world.dept_a) == {
        "dispatched": 6,
        "response_due": 5,  # I7 is still within its window
        "responded_on_time": 2,  # I1, I3 (a minute before the deadline)
        "response_rate": Decimal("0.4000"),
        "resolved": 2,
        "resolved_on_time": 1,
        "on_time_rate": Decimal("0.5000"),
        "rated": 3,
        "satisfied": 2,
        "satisfaction_rate": Decimal("0.6667"),
        "returns": 1,
        "extensions": 2,  # not I6's: created after the period
        "overdue": 1,  # I3; I5 is no longer dept_a's
    }
    assert figures(rows, world.dept_b) == {
        "dispatched": 2,
        "response_due": 2,
        "responded_on_time": 1,
        "response_rate": Decimal("0.5000"),
        "resolved": 0,
        "resolved_on_time": 0,
        "on_time_rate": None,
        "rated": 0,
        "satisfied": 0,
        "satisfaction_rate": None,
        "returns": 0,
        "extensions": 0,
        "overdue": 1,
    }
    assert figures(rows, world.town) == {
        "dispatched": 2,
        "response_due": 1,  # the cancelled share is left out
        "responded_on_time": 0,
        "response_rate": Decimal("0.0000"),
        "resolved": 0,
        "resolved_on_time": 0,
        "on_time_rate": None,
        "rated": 0,
        "satisfied": 0,
        "satisfaction_rate": None,
        "returns": 0,
        "extensions": 0,
        "overdue": 0,
    }
    quiet = figures(rows, world.ic_a)
    assert quiet["dispatched"] == 0
    assert (quiet["response_rate"], quiet["on_time_rate"], quiet["satisfaction_rate"]) == (None, None, None)


def test_the_period_bounds_are_shanghai_days_both_included(history):
    world = history
    # I7's share was created at 23:30 on Sunday 8 November, Shanghai time (15:30 UTC).
    (last_day,) = unit_kpis(unit_ids=[world.dept_a.pk], start=END, end=END, at=NOW)
    assert last_day["dispatched"] == 1
    (after,) = unit_kpis(unit_ids=[world.dept_a.pk], start=date(2026, 11, 9), end=date(2026, 11, 9), at=NOW)
    assert after["dispatched"] == 1  # I6 only, created 00:30 on the 9th
    assert after["extensions"] == 1


def test_unit_kpis_take_the_same_queries_for_one_unit_or_all(history, django_assert_num_queries):
    with django_assert_num_queries(2):
        one = unit_kpis(unit_ids=[history.dept_a.pk], start=START, end=END, at=NOW)
    with django_assert_num_queries(2):
        every = unit_kpis(start=START, end=END, at=NOW)
    assert len(one) == 1
    assert len(every) == 6


def test_unit_ranking(history):
    world = history
    ranking = unit_ranking(START, END, at=NOW)
    assert [(row["rank"], row["unit"].pk) for row in ranking] == [
        (1, world.dept_a.pk),  # the only one with an on-time rate
        (2, world.dept_b.pk),  # response 0.5
        (3, world.town.pk),  # response 0.0
    ]


# --- the endpoint ---------------------------------------------------------------------------------
def kpi_url(unit) -> str:
    return reverse("unit-kpis", args=[unit.pk])


def get_kpis(api, user, unit, **params):
    api.force_authenticate(User.objects.get(pk=user.pk))
    with time_machine.travel(NOW, tick=False):
        return api.get(kpi_url(unit), {"from": "2026-11-02", "to": "2026-11-08", **params})


def test_kpi_endpoint_reports_the_figures(api, history):
    world = history
    response = get_kpis(api, world.staff, world.dept_a)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "unit": {"id": world.dept_a.pk, "name": world.dept_a.name},
        "start": "2026-11-02",
        "end": "2026-11-08",
        "dispatched": 6,
        "responded_on_time": 2,
        "response_due": 5,
        "response_rate": 0.4,
        "resolved": 2,
        "resolved_on_time": 1,
        "on_time_rate": 0.5,
        "rated": 3,
        "satisfied": 2,
        "satisfaction_rate": 0.6667,
        "returns": 1,
        "extensions": 2,
        "overdue": 1,
    }


@pytest.mark.parametrize(
    ("who", "unit", "visible"),
    [
        ("staff", "dept_b", True),
        ("staff", "ic_a", True),
        ("handler_a", "dept_a", True),
        ("handler_a", "dept_b", False),
        ("handler_b", "dept_a", False),
        ("leader_a", "dept_a", True),  # chain_a's lead unit
        ("leader_a", "town", True),  # cooperating on chain_a (below)
        ("leader_a", "dept_b", False),
        ("leader_b", "dept_a", False),
        ("contact_a", "dept_a", False),
        ("secretary_a", "dept_a", False),
        ("chief_a", "dept_a", False),
        ("security", "dept_a", False),
        ("auditor", "dept_a", False),
        ("outsider", "dept_a", False),
    ],
)
def test_kpi_endpoint_scope(api, history, who, unit, visible):
    world = history
    world.chain_a.cooperating_units.add(world.town)
    response = get_kpis(api, getattr(world, who), getattr(world, unit))
    assert response.status_code == (200 if visible else 404), response.content


def test_kpi_endpoint_for_an_unknown_unit_is_404(api, history):
    api.force_authenticate(User.objects.get(pk=history.staff.pk))
    assert api.get("/api/v1/units/999999/kpis/", {"from": "2026-11-02", "to": "2026-11-08"}).status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": ""}, "from"),
        ({"from": "2026-11-31"}, "from"),
        ({"to": "next week"}, "to"),
        ({"from": "2026-11-09", "to": "2026-11-08"}, "to"),
    ],
)
def test_kpi_endpoint_bad_dates_are_400_naming_the_field(api, history, params, field):
    response = get_kpis(api, history.staff, history.dept_a, **params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_kpi_endpoint_needs_both_dates(api, history):
    api.force_authenticate(User.objects.get(pk=history.staff.pk))
    response = api.get(kpi_url(history.dept_a))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"from", "to"}
