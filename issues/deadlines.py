"""Deadline arithmetic on the working-day calendar (design §4.6). Each function sets the instants of
one clock on the issue; the sweep later compares them with "now" in SQL."""

from datetime import datetime

from issues.models import Issue
from workdays.calendar import add_working_days, subtract_working_days

WARN_DAYS_BEFORE = 1
LADDER_LEVEL_2_AFTER = 2  # working days after the breach
LADDER_LEVEL_3_AFTER = 5  # working days after level 2


def start_accept_clock(issue: Issue, at: datetime) -> None:
    issue.accept_due_at = add_working_days(at, issue.category.accept_days)
    issue.accept_warn_at = subtract_working_days(issue.accept_due_at, WARN_DAYS_BEFORE)


def start_handling_clocks(issue: Issue, at: datetime) -> None:
    """Dispatch starts both the sign-for clock and the resolve clock."""
    issue.sign_due_at = add_working_days(at, issue.category.sign_days)
    issue.sign_warn_at = subtract_working_days(issue.sign_due_at, WARN_DAYS_BEFORE)
    set_resolve_deadline(issue, add_working_days(at, issue.category.resolve_days))


def co_part_due(issue: Issue, at: datetime, days: int | None = None) -> datetime:
    """A co-handling unit's part: `days` working days (by default half the category's), never later
    than the lead's resolve deadline, so the lead has the parts before it must answer."""
    days = days or max(1, issue.category.resolve_days // 2)
    return min(add_working_days(at, days), _running_resolve_deadline(issue))


def extend_resolve_deadline(issue: Issue, days: int) -> None:
    """A granted extension: the deadline, and the warning and ladder with it, move by `days`."""
    set_resolve_deadline(issue, add_working_days(_running_resolve_deadline(issue), days))


def _running_resolve_deadline(issue: Issue) -> datetime:
    # Co-handling parts and extensions exist only once dispatch has started the resolve clock; an
    # issue without one here is a programming error, not a user's.
    if issue.resolve_due_at is None:
        raise ValueError(f"issue {issue.pk} has no resolve deadline: its resolve clock has not started")
    return issue.resolve_due_at


def restart_resolve_clock(issue: Issue, at: datetime) -> None:
    """A reopened issue (unsatisfied rating) gets the category's full resolve time again."""
    set_resolve_deadline(issue, add_working_days(at, issue.category.resolve_days))


def set_resolve_deadline(issue: Issue, due: datetime) -> None:
    issue.resolve_due_at = due
    issue.resolve_warn_at = subtract_working_days(due, WARN_DAYS_BEFORE)
    issue.escalate_2_at = add_working_days(due, LADDER_LEVEL_2_AFTER)
    issue.escalate_3_at = add_working_days(issue.escalate_2_at, LADDER_LEVEL_3_AFTER)


def clear_handling_clocks(issue: Issue) -> None:
    for name in HANDLING_FIELDS:
        setattr(issue, name, None)


def start_rating_clock(issue: Issue, at: datetime) -> None:
    issue.rate_due_at = add_working_days(at, issue.category.rate_days)


def begin_handling_cycle(issue: Issue) -> None:
    """A new resolve clock (dispatch, a granted extension, a reopening) is a new handling cycle: the
    sweep keys its alerts by (issue, kind, cycle), so the new clock gets its own warning, and the
    escalation ladder is climbed afresh if it is missed."""
    issue.handling_cycle += 1
    issue.escalation_level = 0


RESOLVE_FIELDS = ["resolve_due_at", "resolve_warn_at", "escalate_2_at", "escalate_3_at"]
HANDLING_FIELDS = ["sign_due_at", "sign_warn_at", *RESOLVE_FIELDS]
CYCLE_FIELDS = ["handling_cycle", "escalation_level"]
