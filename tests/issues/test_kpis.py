"""Unit KPIs and the ranking: exact figures for a small constructed history, the query
count, the ranking, and who may read GET /api/v1/units/{id}/kpis/."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from issues import services
from issues.kpis import unit_kpis, unit_ranking
from issues.models import CategoryKind, IssueCategory
from tests.clock import at
from tests.issues.builders import issue_in

pytestmark = pytest.mark.django_db

START, END = date(2026, 11, 2), date(2026, 11, 8)  # the period: Monday to Sunday
NOW = at(11, 20, 12)


def on(day: int, hour: int = 10, minute: int = 0):
    """The clock stopped at that moment of November 2026 for the steps taken inside."""
    return time_machine.travel(at(11, day, hour, minute), tick=False)


@pytest.fixture
def history(world, categories, calendar_2026):
    """Issues ("I<n>") of ent_a1 taken through the services, each step at its own moment of November
    2026 (10:00 unless said); a request has 1 working day to be signed for and 10 to be resolved,
    counted from dispatch. Shares are created in the period unless said otherwise.

    dept_a leads I1 (signed on time, resolved on time, rated satisfied), I2 (signed late, resolved
    late, rated unsatisfied then basically satisfied, one extension), I3 (signed on time, in progress
    past its resolve deadline, one extension), I4 (unsigned past its sign deadline), I7 (unsigned,
    still within its sign window) and returned I5, which dept_b now leads (unsigned, past both
    deadlines); the town's co-share of I5 was cancelled by that return. The town co-handles I1
    (signed late); dept_b co-handles I2 (signed on time). dept_a also leads I6, created after the
    period, with an extension that must not count."""
    dept_b, town = world.dept_b, world.town
    a, b, c = world.handler_a, world.handler_b, world.handler_town

    # I1, dispatched Tue 3rd (sign by the 4th, resolve by the 17th).
    i1 = issue_in(world, "dispatched", at=at(11, 3), mode="joint", co=[town]).pk
    with on(4, 9):
        services.sign_issue(issue_id=i1, actor=a)
    with on(5, 8):
        services.sign_issue(issue_id=i1, actor=c)
        services.reply_part(issue_id=i1, actor=c, reply="镇街已核查")
    with on(10):
        services.resolve_issue(issue_id=i1, actor=a, answer="已办结")
        services.rate_issue(issue_id=i1, actor=world.contact_a, satisfaction="satisfied")

    # I2, dispatched Tue 3rd. The extension moves the deadline to the 19th; the reopening on the 5th
    # gives the full ten working days again, to the 19th too; the second answer, on the 20th, is late.
    i2 = issue_in(world, "dispatched", at=at(11, 3), mode="joint", co=[dept_b]).pk
    with on(4, 16):
        services.sign_issue(issue_id=i2, actor=b)
        services.reply_part(issue_id=i2, actor=b, reply="B部门已排查")
    with on(5, 9):
        services.sign_issue(issue_id=i2, actor=a)
        services.request_extension(issue_id=i2, actor=a, days=2, reason="需协调")
        services.decide_extension(issue_id=i2, actor=world.staff, grant=True)
    with on(5, 10):
        services.resolve_issue(issue_id=i2, actor=a, answer="已协调")
        services.rate_issue(issue_id=i2, actor=world.contact_a, satisfaction="unsatisfied", reason_codes=["not_solved"])
    with on(5, 11):  # reopened: the co-unit gives a new part first
        services.reply_part(issue_id=i2, actor=b, reply="补充意见")
    with on(20):
        services.resolve_issue(issue_id=i2, actor=a, answer="已再次协调")
        services.rate_issue(issue_id=i2, actor=world.contact_a, satisfaction="basically")

    # I3, dispatched Tue 3rd, signed for a minute before the deadline; overdue since the 17th.
    i3 = issue_in(world, "dispatched", at=at(11, 3)).pk
    with on(4, 23, 59):
        services.sign_issue(issue_id=i3, actor=a)
    with on(5):
        services.request_extension(issue_id=i3, actor=a, days=2, reason="需协调")
        services.decide_extension(issue_id=i3, actor=world.staff, grant=False)

    # I4, dispatched Fri 6th: sign by Mon 9th, resolve by the 20th at midnight (not overdue at noon).
    issue_in(world, "dispatched", at=at(11, 6))

    # I5, dispatched Mon 2nd to dept_a with the town, returned, then transferred to dept_b at 11:00:
    # dept_b signs by the 3rd and resolves by the 16th.
    i5 = issue_in(world, "dispatched", at=at(11, 2), mode="joint", co=[town]).pk
    with on(2, 11):
        services.return_issue(issue_id=i5, actor=a, reason="应由B部门牵头")
        services.dispatch_issue(issue_id=i5, actor=world.staff, mode="transfer", lead_unit_id=dept_b.pk)

    # I6, dispatched and signed for at 00:30 on Monday 9th, after the period.
    issue_in(world, "in_progress", at=at(11, 9, 0, 30), extension="denied")

    # I7, dispatched at 23:30 on Sunday 8th in a category with 15 working days to sign for (the days
    # are set per category): still within its window on the 20th.
    IssueCategory.objects.create(code="site", name="项目落地", kind=CategoryKind.REQUEST, sign_days=15, resolve_days=20)
    issue_in(world, "dispatched", at=at(11, 8, 23, 30), category="site")
    return world


# The figures of a unit with no share in the period: nothing counted, no rate (nothing to divide by).
NOTHING = {
    "dispatched": 0,
    "response_due": 0,
    "responded_on_time": 0,
    "response_rate": None,
    "resolved": 0,
    "resolved_on_time": 0,
    "on_time_rate": None,
    "rated": 0,
    "satisfied": 0,
    "satisfaction_rate": None,
    "returns": 0,
    "extensions": 0,
    "overdue": 0,
    "urged": 0,
}


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
        "urged": 0,
    }
    assert figures(rows, world.dept_b) == {
        **NOTHING,
        "dispatched": 2,
        "response_due": 2,
        "responded_on_time": 1,
        "response_rate": Decimal("0.5000"),
        "overdue": 1,
    }
    assert figures(rows, world.town) == {
        **NOTHING,
        "dispatched": 2,
        "response_due": 1,  # the cancelled share is left out
        "response_rate": Decimal("0.0000"),
    }
    assert figures(rows, world.ic_a) == NOTHING


def test_the_period_bounds_are_shanghai_days_both_included(history):
    world = history
    # I7's share was created at 23:30 on Sunday 8 November, Shanghai time (15:30 UTC).
    (last_day,) = unit_kpis(unit_ids=[world.dept_a.pk], start=END, end=END, at=NOW)
    assert last_day["dispatched"] == 1
    (after,) = unit_kpis(unit_ids=[world.dept_a.pk], start=date(2026, 11, 9), end=date(2026, 11, 9), at=NOW)
    assert after["dispatched"] == 1  # I6 only, created 00:30 on the 9th
    assert after["extensions"] == 1


def test_unit_kpis_take_the_same_queries_for_one_unit_or_all(history, django_assert_num_queries):
    with django_assert_num_queries(5):  # the units, the shares' figures, the ratings, the extensions, the urges
        one = unit_kpis(unit_ids=[history.dept_a.pk], start=START, end=END, at=NOW)
    with django_assert_num_queries(5):
        every = unit_kpis(start=START, end=END, at=NOW)
    assert len(one) == 1
    assert len(every) == 6


def test_a_unit_given_back_an_issue_it_returned_counts_its_request_and_ratings_once(world, categories, calendar_2026):
    """Returned by dept_a, dispatched to it again: two shares of one issue (one returned, one live).
    Its extension request and the issue's rating meet the unit once, not once per share."""
    a = world.handler_a
    issue = issue_in(world, "dispatched", at=at(11, 3)).pk
    with on(3, 11):
        services.return_issue(issue_id=issue, actor=a, reason="请重新研判")
        services.dispatch_issue(issue_id=issue, actor=world.staff, mode="transfer", lead_unit_id=world.dept_a.pk)
    with on(4):
        services.sign_issue(issue_id=issue, actor=a)
        services.request_extension(issue_id=issue, actor=a, days=2, reason="需协调")
        services.decide_extension(issue_id=issue, actor=world.staff, grant=True)
    with on(5):
        services.resolve_issue(issue_id=issue, actor=a, answer="已办结")
        services.rate_issue(issue_id=issue, actor=world.contact_a, satisfaction="satisfied")
    (row,) = unit_kpis(unit_ids=[world.dept_a.pk], start=START, end=END, at=NOW)
    assert (row["dispatched"], row["returns"], row["resolved"], row["resolved_on_time"]) == (2, 1, 1, 1)
    assert (row["extensions"], row["rated"], row["satisfied"]) == (1, 1, 1)


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
        "urged": 0,
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
