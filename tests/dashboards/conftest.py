"""A small district whose every dashboard figure is counted by hand (the `ledger` fixture), on the
named cast of tests/conftest.py: chain A (甲一, in park A, and 甲二), chain B (乙一, in park B)."""

from datetime import date
from types import SimpleNamespace

import pytest

from chains.models import Enterprise, Honour, MeasureStatus, SizeClass
from issues.models import Issue, IssueCategory, Rating, Status
from meetings.models import Meeting
from meetings.models import Status as MeetingStatus
from partyorgs.models import AnnualPartyPlan, PlanTarget
from secretaries.models import PostingKind
from tests import factories as f
from tests.clock import at, end_of

NOW = at(11, 20, 12)  # Friday 20 November 2026, noon
QUARTER = (date(2026, 10, 1), date(2026, 12, 31))


def make_issue(world, *, enterprise, chain, status, created, due=None, resolved=None, level=0, number):
    issue = Issue.objects.create(
        number=number,
        enterprise=enterprise,
        chain=chain,
        category=world.category,
        title=f"问题{number}",
        description="说明",
        status=status,
        submitted_by=world.staff,
        resolve_due_at=due,
        resolved_at=resolved,
        escalation_level=level,
    )
    Issue.objects.filter(pk=issue.pk).update(created_at=created)  # auto_now_add: set the past afterwards
    return issue


def rate(world, issue, satisfaction, when):
    rating = Rating.objects.create(issue=issue, rated_by=world.contact_a, satisfaction=satisfaction)
    Rating.objects.filter(pk=rating.pk).update(created_at=when)


@pytest.fixture
def ledger(world):
    """The hand-counted records (what each one adds to the figures is in the tests' docstrings)."""
    w = world
    w.category = IssueCategory.objects.create(code="request", name="诉求", kind="request", resolve_days=10)
    Enterprise.objects.filter(pk=w.ent_a1.pk).update(size_class=SizeClass.LARGE)
    Enterprise.objects.filter(pk=w.ent_a2.pk).update(size_class=SizeClass.SMALL)
    Enterprise.objects.filter(pk=w.ent_b1.pk).update(size_class=SizeClass.MEDIUM)
    f.HonourFactory(enterprise=w.ent_a1, honour=Honour.LITTLE_GIANT)
    f.HonourFactory(enterprise=w.ent_a1, honour=Honour.HIGH_TECH)
    f.HonourFactory(enterprise=w.ent_a2, honour=Honour.HIGH_TECH)

    # Coverage: 甲一 has an organization (and the cast's first secretary), 乙一 an instructor only,
    # 甲二 nothing but five party members (应建未建).
    w.branch = f.PartyOrganizationFactory(covers=[w.ent_a1], unit=w.dept_a)
    f.PostingFactory(enterprise=w.ent_b1, kind=PostingKind.INSTRUCTOR)
    f.PostingFactory(enterprise=None, park=w.park_a, kind=PostingKind.PARK_CHIEF)
    f.PostingFactory(enterprise=w.ent_b1, start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))  # over
    f.PartyProfileFactory(enterprise=w.ent_a2, formal_members=5)

    mk = make_issue
    a1 = mk(
        w,
        number="A1",
        enterprise=w.ent_a1,
        chain=w.chain_a,
        status=Status.CLOSED,
        created=at(10, 10),
        due=end_of(10, 24),
        resolved=at(10, 20),
    )
    a2 = mk(
        w,
        number="A2",
        enterprise=w.ent_a2,
        chain=w.chain_a,
        status=Status.CLOSED,
        created=at(10, 12),
        due=end_of(10, 20),
        resolved=at(10, 25),
    )
    mk(
        w,
        number="A3",
        enterprise=w.ent_a1,
        chain=w.chain_a,
        status=Status.IN_PROGRESS,
        created=at(11, 1),
        due=end_of(11, 10),
        level=2,
    )
    mk(
        w,
        number="A4",
        enterprise=w.ent_a1,
        chain=w.chain_a,
        status=Status.DISPATCHED,
        created=at(11, 15),
        due=end_of(11, 30),
        level=1,
    )
    mk(w, number="A5", enterprise=w.ent_a2, chain=w.chain_a, status=Status.SUBMITTED, created=at(9, 15))
    mk(w, number="A6", enterprise=w.ent_a1, chain=w.chain_a, status=Status.REJECTED, created=at(10, 5))
    mk(
        w,
        number="B1",
        enterprise=w.ent_b1,
        chain=w.chain_b,
        status=Status.RESOLVED,
        created=at(11, 3),
        due=end_of(11, 17),
        resolved=at(11, 16),
    )
    mk(
        w,
        number="B2",
        enterprise=w.ent_b1,
        chain=w.chain_b,
        status=Status.IN_PROGRESS,
        created=at(10, 1, 0, 30),
        due=end_of(12, 1),
        level=3,
    )
    rate(w, a1, "satisfied", at(10, 21))
    rate(w, a2, "unsatisfied", at(10, 26))
    rate(w, a2, "basically", at(11, 2))

    Meeting.objects.create(
        chain=w.chain_a, quarter="2026Q4", title="A链四季度会议", starts_at=at(10, 20, 14), status=MeetingStatus.MINUTED
    )
    Meeting.objects.create(chain=w.chain_b, quarter="2026Q4", title="B链四季度会议", starts_at=at(12, 10, 14))
    w.chain_c = f.ChainFactory(name="空链C", code="chain-c", lead_unit=w.dept_b)  # no enterprise yet
    Meeting.objects.create(
        chain=w.chain_c, quarter="2026Q4", title="C链取消", starts_at=at(10, 9, 14), status=MeetingStatus.CANCELLED
    )

    f.MeasureFactory(chain_master=w.master_a, status=MeasureStatus.DONE)
    f.MeasureFactory(chain_master=w.master_a, status=MeasureStatus.IN_PROGRESS)
    f.MeasureFactory(chain_master=w.master_a, status=MeasureStatus.CANCELLED)

    plan_a = AnnualPartyPlan.objects.create(
        chain=w.chain_a, organization=w.branch, year=2026, title="A", filed_on=date(2026, 2, 1), filed_by=w.staff
    )
    PlanTarget.objects.create(plan=plan_a, description="一", weight=60, score=50)
    PlanTarget.objects.create(plan=plan_a, description="二", weight=40, score=30)
    plan_b = AnnualPartyPlan.objects.create(
        chain=w.chain_b, organization=w.branch, year=2026, title="B", filed_on=date(2026, 2, 1), filed_by=w.staff
    )
    PlanTarget.objects.create(plan=plan_b, description="一", weight=100)
    return SimpleNamespace(world=w)
