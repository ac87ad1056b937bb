"""Issue deadlines on the 2026 mainland-China calendar (design §4.6): 国庆节 1–7 October is off, Sun 20 Sep
and Sat 10 Oct are make-up working days. Deadlines are the end (23:59:59.999999, Asia/Shanghai) of the
N-th working day after the day the clock starts; warnings one working day before; the ladder's rung 2
two working days after the breach and rung 3 five working days after rung 2."""

from datetime import datetime

import pytest
import time_machine

from chainparty.dates import SHANGHAI
from issues import deadlines, services
from issues.models import CategoryKind, Issue, IssueCategory
from tests.clock import at, end_of
from tests.issues.builders import issue_in

pytestmark = pytest.mark.django_db


def test_the_end_of_day_helper_is_the_last_microsecond():
    assert end_of(10, 9) == datetime(2026, 10, 9, 23, 59, 59, 999999, tzinfo=SHANGHAI)


# Each clock of an inquiry (2 working days to resolve, 1 to sign for) dispatched at a given instant.
INQUIRY_CLOCKS = {
    # The eve of National Day: 1–7 October are off; Thu 8 and Fri 9 are the two working days. Rung 2
    # is two working days after the breach, the make-up Saturday 10 October counting; rung 3 five
    # working days after rung 2. Sign for within one working day (Thursday 8 October), warned at the
    # end of the dispatch day.
    "on the eve of national day": (
        at(9, 30),
        {
            "resolve_due_at": end_of(10, 9),
            "resolve_warn_at": end_of(10, 8),
            "escalate_2_at": end_of(10, 12),
            "escalate_3_at": end_of(10, 19),
            "sign_due_at": end_of(10, 8),
            "sign_warn_at": end_of(9, 30),
        },
    ),
    # Friday 9 October: one working day before Monday is the make-up Saturday, not Friday.
    "on friday 9 october, counting the make-up saturday": (
        at(10, 9, 16, 30),
        {
            "resolve_due_at": end_of(10, 12),
            "resolve_warn_at": end_of(10, 10),
            "escalate_2_at": end_of(10, 14),
            "escalate_3_at": end_of(10, 21),
            "sign_due_at": end_of(10, 10),
            "sign_warn_at": end_of(10, 9),
        },
    ),
}


@pytest.mark.parametrize("when", list(INQUIRY_CLOCKS))
def test_an_inquiry_dispatched(world, categories, calendar_2026, when):
    dispatched_at, clocks = INQUIRY_CLOCKS[when]
    issue = issue_in(world, "dispatched", category="inquiry", at=dispatched_at)
    assert {field: getattr(issue, field) for field in clocks} == clocks


def test_the_accept_clock_starts_at_submission_and_skips_the_holiday(world, categories, calendar_2026):
    issue = issue_in(world, at=at(9, 30, 9))
    assert issue.accept_due_at == end_of(10, 8)
    assert issue.accept_warn_at == end_of(9, 30)


def test_an_issue_submitted_during_the_holiday_counts_from_the_first_working_day(world, categories, calendar_2026):
    issue = issue_in(world, at=at(10, 3, 11))
    assert issue.accept_due_at == end_of(10, 8)
    # The warning falls on the last working day before: 30 September, already past at submission.
    assert issue.accept_warn_at == end_of(9, 30)


def test_a_request_of_ten_working_days_across_the_holiday(world, categories, calendar_2026):
    issue = issue_in(world, "dispatched", at=at(9, 28, 14))
    # Tue 29, Wed 30, Thu 8, Fri 9, Sat 10 (make-up), Mon 12 … Fri 16: the tenth is Friday 16 October.
    assert issue.resolve_due_at == end_of(10, 16)
    assert issue.resolve_warn_at == end_of(10, 15)


def test_the_make_up_sunday_before_the_holiday_is_a_working_day(world, categories, calendar_2026):
    issue = issue_in(world, "dispatched", category="inquiry", at=at(9, 18, 15))
    # Fri 18 September: Sunday 20 September is worked, so one working day ends on Sunday.
    assert issue.sign_due_at == end_of(9, 20)
    assert issue.resolve_due_at == end_of(9, 21)


def test_the_category_resolve_days_are_used(world, calendar_2026):
    IssueCategory.objects.create(code="land", name="用地用房", kind=CategoryKind.REQUEST, resolve_days=3)
    issue = issue_in(world, "dispatched", category="land", at=at(9, 30))
    assert issue.resolve_due_at == end_of(10, 10)


def test_the_co_units_part_is_due_halfway_and_never_after_the_lead(world, categories, calendar_2026):
    issue = issue_in(world, "dispatched", at=at(9, 30), mode="joint", co=[world.dept_b])
    shares = {a.role: a.due_at for a in issue.shares.all()}
    # Thu 8, Fri 9, Sat 10, Mon 12 … Fri 16, Mon 19, Tue 20.
    assert shares["lead"] == issue.resolve_due_at == end_of(10, 20)
    # Half of 10 working days: Thu 8, Fri 9, Sat 10, Mon 12, Tue 13.
    assert shares["co"] == end_of(10, 13)


def test_the_rating_window_is_five_working_days_from_the_answer(world, categories, calendar_2026):
    issue = issue_in(world, "dispatched", category="inquiry", at=at(9, 29))
    with time_machine.travel(at(9, 30), tick=False):
        services.sign_issue(issue_id=issue.pk, actor=world.handler_a)
        issue = services.resolve_issue(issue_id=issue.pk, actor=world.handler_a, answer="已答复")
    # Thu 8, Fri 9, Sat 10, Mon 12, Tue 13.
    assert issue.rate_due_at == end_of(10, 13)


def dispatched_jointly(world, resolve_days, **dispatch):
    """An issue of a category with `resolve_days` working days to resolve, dispatched on Monday 28
    September 2026 to dept_a leading and dept_b co-handling; returns the (lead's, co-unit's) due dates."""
    IssueCategory.objects.create(
        code=f"days-{resolve_days}", name=f"{resolve_days}日办结", kind=CategoryKind.REQUEST, resolve_days=resolve_days
    )
    issue = issue_in(world, "accepted", category=f"days-{resolve_days}", at=at(9, 28))
    with time_machine.travel(at(9, 28), tick=False):
        joint = {"mode": "joint", "lead_unit_id": world.dept_a.pk, "co_unit_ids": [world.dept_b.pk]}
        services.dispatch_issue(
            issue_id=issue.pk,
            actor=world.staff,
            **joint,
            **dispatch,
        )
    shares = {share.role: share.due_at for share in issue.shares.all()}
    return shares["lead"], shares["co"]


# Working days from Monday 28 September: Tue 29, Wed 30, (National Day) Thu 8, Fri 9, Sat 10 (make-up).
@pytest.mark.parametrize(
    ("resolve_days", "lead_due", "co_due"),
    [
        # Half of one day rounds down to none: the floor of one working day holds, as the lead's.
        (1, end_of(9, 29), end_of(9, 29)),
        # Half of two is one; half of three rounds down to one.
        (2, end_of(9, 30), end_of(9, 29)),
        (3, end_of(10, 8), end_of(9, 29)),
        # Above the floor, half: two of four.
        (4, end_of(10, 9), end_of(9, 30)),
    ],
)
def test_a_co_part_is_due_after_half_the_categorys_days_and_at_least_one_working_day(
    world, calendar_2026, resolve_days, lead_due, co_due
):
    assert dispatched_jointly(world, resolve_days) == (lead_due, co_due)


@pytest.mark.parametrize(
    ("co_due_days", "co_due"),
    [
        (1, end_of(9, 29)),
        (3, end_of(10, 8)),  # not the default half of ten (Sat 10 October)
        (9, end_of(10, 15)),
        # Longer than the lead's ten working days: the part is due with the lead's answer, not after.
        (11, end_of(10, 16)),
        (30, end_of(10, 16)),
    ],
)
def test_the_dispatchers_co_unit_days_are_respected_up_to_the_leads_deadline(world, calendar_2026, co_due_days, co_due):
    lead_due, got = dispatched_jointly(world, 10, co_due_days=co_due_days)
    assert lead_due == end_of(10, 16)
    assert got == co_due


def test_a_new_handling_cycle_counts_one_up_and_starts_the_ladder_again():
    # Dispatch, a granted extension and a reopening each start one: the sweep keys alerts by cycle.
    issue = Issue(handling_cycle=3, escalation_level=2)
    deadlines.begin_handling_cycle(issue)
    assert (issue.handling_cycle, issue.escalation_level) == (4, 0)


def test_a_returned_issue_keeps_no_handling_clock():
    issue = Issue(**dict.fromkeys(deadlines.HANDLING_FIELDS, at(10, 9)))
    deadlines.clear_handling_clocks(issue)
    assert {name: getattr(issue, name) for name in deadlines.HANDLING_FIELDS} == {
        "sign_due_at": None,
        "sign_warn_at": None,
        "resolve_due_at": None,
        "resolve_warn_at": None,
        "escalate_2_at": None,
        "escalate_3_at": None,
    }
