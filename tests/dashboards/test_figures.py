"""Each dashboard figure against the hand-counted ledger (tests/dashboards/conftest.py), for the
district, chain A and park A, in the fourth quarter of 2026 as of Friday 20 November, noon."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from dashboards import figures
from dashboards.periods import Period
from dashboards.subjects import Kind, Subject
from tests.dashboards.conftest import NOW, QUARTER

pytestmark = pytest.mark.django_db

Q4 = Period("quarter", *QUARTER)


def build(subject):
    with time_machine.travel(NOW, tick=False):
        return figures.build(subject, Q4, at=NOW)


def test_district_issue_figures(ledger):
    """Received in Q4: A1 A2 A3 A4 A6 B1 B2 (A5 came in September; B2 at 00:30 on 1 October, Shanghai,
    counts). Open: A3 A4 A5 B1 (resolved, awaiting its rating) B2. Overdue: A3 alone (in progress,
    due 10 November). Escalated and open: A4 at level 1, A3 at 2, B2 at 3. Resolved in Q4: A1 (on
    time) A2 (late) B1 (on time). Ratings in Q4: A1 satisfied, A2 unsatisfied then basically
    satisfied. Handling times 10, 13 and 13 days: median 13."""
    issues = build(Subject(Kind.DISTRICT))["issues"]
    assert issues == {
        "received": 7,
        "open": 5,
        "overdue": 1,
        "escalated": 3,
        "escalated_1": 1,
        "escalated_2": 1,
        "escalated_3": 1,
        "resolved": 3,
        "resolved_on_time": 2,
        "on_time_rate": Decimal("0.6667"),
        "rated": 3,
        "satisfied": 2,
        "satisfaction_rate": Decimal("0.6667"),
        "median_days": Decimal("13.0"),
    }


def test_chain_issue_figures_are_the_chains_own(ledger):
    """Chain A: received A1 A2 A3 A4 A6; open A3 A4 A5; resolved A1 (on time) and A2 (late), handled in
    10 and 13 days (median 11.5); all three ratings are of its issues."""
    issues = build(Subject(Kind.CHAIN, chain=ledger.world.chain_a))["issues"]
    assert (issues["received"], issues["open"], issues["overdue"], issues["escalated"]) == (5, 3, 1, 2)
    assert (issues["escalated_1"], issues["escalated_2"], issues["escalated_3"]) == (1, 1, 0)
    assert (issues["resolved"], issues["resolved_on_time"], issues["on_time_rate"]) == (2, 1, Decimal("0.5"))
    assert (issues["rated"], issues["satisfied"]) == (3, 2)
    assert issues["median_days"] == Decimal("11.5")


def test_park_issue_figures_are_those_of_its_enterprises(ledger):
    """Park A holds 甲一 only: A1 A3 A4 A6 received, A3 A4 open, A1 resolved on time in 10 days."""
    issues = build(Subject(Kind.PARK, park=ledger.world.park_a))["issues"]
    assert (issues["received"], issues["open"], issues["overdue"], issues["escalated"]) == (4, 2, 1, 2)
    assert (issues["resolved"], issues["on_time_rate"], issues["rated"], issues["satisfied"]) == (1, 1, 1, 1)
    assert issues["median_days"] == Decimal("10.0")


def test_registry_coverage_and_cadres_of_the_district(ledger):
    """Three enterprises, two of them SMEs (甲二 small, 乙一 medium); 甲一 is a little giant and high-tech,
    甲二 high-tech. 甲一 has an organization, 乙一 an instructor (work coverage), 甲二 neither but
    five members. Active: the cast's first secretary at 甲一, the instructor, park A's chief (the
    posting that ended in 2025 is not counted)."""
    data = build(Subject(Kind.DISTRICT))
    honours = {row["code"]: row["enterprises"] for row in data["registry"]["honours"]}
    assert (data["registry"]["enterprises"], data["registry"]["smes"]) == (3, 2)
    assert honours == {
        "little_giant": 1,
        "provincial_specialised": 0,
        "single_champion": 0,
        "two_high_four_new": 0,
        "high_tech": 2,
    }
    assert data["coverage"] == {
        "enterprises": 3,
        "organization": 1,
        "work": 1,
        "none": 1,
        "organization_rate": Decimal("33.3"),
        "work_rate": Decimal("33.3"),
        "combined_rate": Decimal("66.7"),
        "should_establish": 1,
    }
    assert data["cadres"] == {"first_secretary": 1, "instructor": 1, "park_chief": 1}


def test_chains_with_their_masters_and_coverage(ledger):
    rows = {row["code"]: row for row in build(Subject(Kind.DISTRICT))["chains"]}
    assert rows["chain-a"]["enterprises"] == 2
    assert rows["chain-a"]["masters"] == ["甲一企业"]
    assert (rows["chain-a"]["organization_rate"], rows["chain-a"]["work_rate"]) == (Decimal("50.0"), Decimal("0.0"))
    assert (rows["chain-b"]["enterprises"], rows["chain-b"]["work_rate"]) == (1, Decimal("100.0"))


def test_meetings_cultivation_and_party_plans(ledger):
    """Q4 meetings: A's minuted, B's planned, C's cancelled one left out. Master A's measures: one done,
    one in progress, one cancelled (left out). Plans of 2026: A's scored 80 of 100, B's unscored."""
    data = build(Subject(Kind.DISTRICT))
    assert data["meetings"] == {"quarter": "2026Q4", "planned": 2, "held": 1, "minutes_pending": 0}
    assert data["cultivation"] == {"measures": 2, "in_progress": 1, "done": 1, "done_rate": Decimal("0.5")}
    assert data["party_plans"] == {"filed": 2, "scored": 1, "average_score": Decimal("80.0")}
    chain_b = build(Subject(Kind.CHAIN, chain=ledger.world.chain_b))
    assert chain_b["meetings"]["planned"] == 1
    assert chain_b["meeting"]["title"] == "B链四季度会议"
    assert chain_b["party_plans"] == {"filed": 1, "scored": 0, "average_score": None}


def test_a_chain_shows_its_segments_coverage_and_what_needs_attention(ledger):
    data = build(Subject(Kind.CHAIN, chain=ledger.world.chain_a))
    assert [(s["name"], s["enterprises"], s["organization"]) for s in data["segments"]] == [("研发A", 2, 1)]
    # Open and escalated or late, the highest rung first: A3 (level 2, overdue), then A4 (level 1).
    assert [(row["number"], row["escalation_level"], row["is_overdue"]) for row in data["attention"]] == [
        ("A3", 2, True),
        ("A4", 1, False),
    ]
    assert data["registry"]["enterprises"] == 2
    assert data["cadres"] == {"first_secretary": 1, "instructor": 0, "park_chief": 0}


def test_the_monthly_trend(ledger):
    """The trend runs over the twelve months to the period's last: October has A1 A2 A6 B2 received and
    A1 A2 resolved; November A3 A4 B1 received, B1 resolved; September A5."""
    trend = {point["month"]: point for point in build(Subject(Kind.DISTRICT))["trend"]}
    assert list(trend)[0] == date(2026, 1, 1)
    assert list(trend)[-1] == date(2026, 12, 1)
    assert (trend[date(2026, 9, 1)]["received"], trend[date(2026, 9, 1)]["resolved"]) == (1, 0)
    assert (trend[date(2026, 10, 1)]["received"], trend[date(2026, 10, 1)]["resolved"]) == (4, 2)
    assert (trend[date(2026, 11, 1)]["received"], trend[date(2026, 11, 1)]["resolved"]) == (3, 1)
    assert trend[date(2026, 12, 1)]["received"] == 0
    # Work coverage from the postings' dates: the instructor and the first secretary both started on
    # 1 January 2026, but 甲一 counts as organization coverage (the branch has no founding day).
    assert trend[date(2026, 1, 1)]["organization_rate"] == Decimal("33.3")
    assert trend[date(2026, 1, 1)]["work_rate"] == Decimal("33.3")


def test_every_figure_links_to_the_list_behind_it(ledger):
    chain_a = ledger.world.chain_a
    links = build(Subject(Kind.CHAIN, chain=chain_a))["links"]
    assert links["issues"]["received"] == (
        f"/issues/?chain={chain_a.pk}&created_after=2026-10-01&created_before=2026-12-31"
    )
    assert links["issues"]["overdue"] == f"/issues/?chain={chain_a.pk}&overdue=true"
    assert links["issues"]["escalated_2"] == f"/issues/?chain={chain_a.pk}&open=true&escalation_level=2"
    assert links["honours"]["high_tech"] == f"/chains/enterprises/?chain={chain_a.pk}&honour=high_tech"
    assert links["meetings"] == f"/meetings/?quarter=2026Q4&chain={chain_a.pk}"


def test_periods():
    assert Period.holding("month", date(2026, 2, 14)) == Period("month", date(2026, 2, 1), date(2026, 2, 28))
    assert Period.holding("quarter", date(2026, 11, 20)) == Period("quarter", date(2026, 10, 1), date(2026, 12, 31))
    assert Period.holding("year", date(2026, 11, 20)) == Period("year", date(2026, 1, 1), date(2026, 12, 31))
    long = Period("custom", date(2020, 1, 1), date(2026, 6, 30))
    assert (long.months[0], long.months[-1], len(long.months)) == (date(2024, 7, 1), date(2026, 6, 1), 24)
