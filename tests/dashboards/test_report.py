"""A chain's printable quarterly report against the hand-counted ledger (tests/dashboards/conftest.py),
as of Friday 20 November 2026, noon: the quarter's figures, leaders and chain master, segments,
units, the quarter's meeting with its decisions, the open escalated issues; the quarter parameter;
the chain dashboard's access; a query count that does not grow with the data."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from meetings.models import Decision, Meeting
from tests.dashboards.conftest import NOW
from tests.dashboards.test_pages import grow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _at_the_ledgers_moment():
    with time_machine.travel(NOW, tick=False):
        yield


def report_url(chain):
    return reverse("dashboards:chain-report", args=[chain.pk])


def open_report(client, user, chain, **params):
    client.force_login(user)
    return client.get(report_url(chain), params)


def test_the_quarters_figures_of_the_chain(ledger, client):
    """Chain A in 2026Q4: A1 A2 A3 A4 A6 received; A1 (on time) and A2 (late) resolved; three ratings,
    two satisfied; A3 A4 A5 open, A3 overdue, A4 at level 1 and A3 at 2. Two enterprises (甲二 the
    SME); 甲一 covered by its organization, 甲二 not (five members: 应建未建); master A's measures one
    of two done; A's 2026 plan scored 80."""
    world = ledger.world
    response = open_report(client, world.leader_a, world.chain_a, quarter="2026Q4")
    assert response.status_code == 200
    context = response.context
    assert str(context["quarter"]) == "2026Q4"
    assert (context["period"].start, context["period"].end) == (date(2026, 10, 1), date(2026, 12, 31))
    issues = context["figures"]["issues"]
    assert (issues["received"], issues["resolved"], issues["resolved_on_time"]) == (5, 2, 1)
    assert (issues["open"], issues["overdue"], issues["escalated_1"], issues["escalated_2"]) == (3, 1, 1, 1)
    assert (issues["rated"], issues["satisfied"], issues["median_days"]) == (3, 2, Decimal("11.5"))
    assert context["figures"]["coverage"]["should_establish"] == 1
    assert [(p["month"], p["received"], p["resolved"]) for p in context["months"]] == [
        (date(2026, 10, 1), 3, 2),
        (date(2026, 11, 1), 2, 0),
        (date(2026, 12, 1), 0, 0),
    ]
    html = response.content.decode()
    for shown in (
        "生物医药链A",
        "2026Q4（2026-10-01 – 2026-12-31）",
        "50.0%（1/2）",  # on time
        "66.7%（2/3）",  # satisfied
        "11.5",  # median days
        "50.0%（1）",  # organization coverage
        "1 / 2",  # cultivation measures done
        "平均 80.0%",  # party plans
        "2026-10",
    ):
        assert shown in html, shown
    assert 'href="/static/css/print.css"' in html or "css/print" in html


def test_its_leaders_master_segments_and_units(ledger, client):
    world = ledger.world
    context = open_report(client, world.staff, world.chain_a).context
    assert [leadership.user for leadership in context["leaders"]] == [world.leader_a]
    assert context["masters"] == ["甲一企业"]
    assert [(s["name"], s["enterprises"], s["organization"], s["none"]) for s in context["figures"]["segments"]] == [
        ("研发A", 2, 1, 1)
    ]
    assert [unit["name"] for unit in context["figures"]["units"]] == ["经济部门A"]
    html = open_report(client, world.staff, world.chain_a).content.decode()
    for shown in ("甲一企业", "经济部门A", "行业党委A", "研发A", world.leader_a.full_name or "leader_a"):
        assert shown in html, shown


def test_the_quarters_meeting_and_its_decisions(ledger, client):
    world = ledger.world
    meeting = Meeting.objects.get(chain=world.chain_a, quarter="2026Q4")
    Decision.objects.create(
        meeting=meeting,
        text="加快办理A3",
        follow_up_unit=world.dept_a,
        follow_up_due=date(2026, 11, 30),
        decided_by=world.staff,
    )
    Decision.objects.create(meeting=meeting, text="下季度再议", decided_by=world.staff)
    response = open_report(client, world.leader_a, world.chain_a, quarter="2026Q4")
    assert response.context["meeting"] == meeting
    assert [decision.text for decision in response.context["decisions"]] == ["加快办理A3", "下季度再议"]
    html = response.content.decode()
    assert "A链四季度会议" in html
    assert "2026-10-20 14:00" in html
    assert "落实单位：经济部门A，期限：2026-11-30" in html
    assert "下季度再议" in html


def test_the_open_escalated_issues_highest_rung_first(ledger, client):
    """A3 (level 2, overdue) then A4 (level 1); A5 is open but not escalated, B2 is chain B's."""
    world = ledger.world
    response = open_report(client, world.leader_a, world.chain_a)
    assert [(issue.number, issue.escalation_level, issue.is_overdue) for issue in response.context["escalated"]] == [
        ("A3", 2, True),
        ("A4", 1, False),
    ]
    assert response.context["more_escalated"] == 0
    html = response.content.decode()
    assert "问题A3" in html
    assert "问题A4" in html
    assert "问题A5" not in html
    assert "问题B2" not in html


def test_an_earlier_quarter_has_its_own_figures_and_no_meeting(ledger, client):
    """2026Q3: only A5 came in (15 September); no meeting on record. What is open is open now."""
    world = ledger.world
    response = open_report(client, world.leader_a, world.chain_a, quarter="2026q3")
    assert response.status_code == 200
    issues = response.context["figures"]["issues"]
    assert (issues["received"], issues["resolved"], issues["open"]) == (1, 0, 3)
    assert response.context["meeting"] is None
    assert [p["month"] for p in response.context["months"]] == [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]
    assert "本季度没有专题会议记录。" in response.content.decode()


def test_the_default_quarter_is_the_current_one(ledger, client):
    response = open_report(client, ledger.world.leader_a, ledger.world.chain_a)
    assert str(response.context["quarter"]) == "2026Q4"


@pytest.mark.parametrize("quarter", ["2026Q5", "2026-10", "Q4", "1899Q4", "2027Q1"])
def test_a_bad_quarter_is_a_400_naming_the_field(world, client, quarter):
    """Not a quarter, before 1900, or after the current one (2026Q4: its figures do not exist yet)."""
    response = open_report(client, world.staff, world.chain_a, quarter=quarter)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["quarter"]
    assert "figures" not in response.context
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "季度：" in html  # the field named with its message


def test_the_chain_dashboard_links_to_its_report_of_the_quarter_shown(ledger, client):
    world = ledger.world
    client.force_login(world.leader_a)
    page = client.get(reverse("dashboards:chain", args=[world.chain_a.pk]), {"period": "month", "on": "2026-08-03"})
    assert f'href="{report_url(world.chain_a)}?quarter=2026Q3"' in page.content.decode()
    client.force_login(world.staff)
    for other in (reverse("dashboards:district"), reverse("dashboards:park", args=[world.park_a.pk])):
        assert "/report/" not in client.get(other).content.decode()


# Who opens a chain's report: whoever opens its dashboard (tests/dashboards/test_pages.py OPENS).
OPENS = {
    "staff": {"chain_a", "chain_b"},
    "leader_a": {"chain_a"},
    "leader_b": {"chain_b"},
    "chief_a": set(),
    "handler_a": set(),
    "secretary_a": set(),
    "contact_a": set(),
    "auditor": set(),
    "outsider": set(),
}


@pytest.mark.parametrize("who", list(OPENS))
def test_each_role_opens_the_reports_of_the_chains_it_opens_and_no_other(world, client, who):
    client.force_login(getattr(world, who))
    for name in ("chain_a", "chain_b"):
        response = client.get(report_url(getattr(world, name)))
        assert response.status_code == (200 if name in OPENS[who] else 404), (who, name)


def test_a_leader_gets_a_404_for_another_chains_report_even_with_a_bad_quarter(world, client):
    """Access first: a bad quarter on a chain outside reach says nothing about the chain."""
    response = open_report(client, world.leader_a, world.chain_b, quarter="nonsense")
    assert response.status_code == 404


# The report's queries: the chain dashboard's figures (24 with the chain's access, as on the API), the
# session, the user, their roles, the menu's two badges (the context processors of every page), the
# chain's leaders, the meeting again (for its decisions), its decisions and the escalated issues.
QUERIES = 36


def test_the_query_count_does_not_grow_with_the_data(ledger, client, django_assert_num_queries):
    world = ledger.world
    world.grown = []
    meeting = Meeting.objects.get(chain=world.chain_a, quarter="2026Q4")
    Decision.objects.create(meeting=meeting, text="一", follow_up_unit=world.dept_a, decided_by=world.staff)
    client.force_login(world.staff)
    url = report_url(world.chain_a)
    client.get(url)  # what a process reads once (the calendar) is read here
    for more in (2, 6):
        grow(world, more)
        Decision.objects.create(
            meeting=meeting, text=f"决定{more}", follow_up_unit=world.dept_a, decided_by=world.staff
        )
        with django_assert_num_queries(QUERIES):
            assert client.get(url).status_code == 200
