"""Lights (亮灯): the one rule for the red, yellow and green lights and the time left on a deadline, shared
by the issue pages, the API, exports and the dashboards (design §4.6, issue 14: "time left shown as
people read it, with red/yellow/green lights on issues, units and chains by the same rule everywhere").

Pure functions over the working-day calendar (workdays.calendar, which the shared plumbing may import:
it sits below the domain, .importlinter); no query beyond the calendar's own cached load.

**Time left** — `time_left(deadline, *, at)` reads a deadline (an aware datetime, a day, or None) as of
the instant `at`, in working days on the mainland-China calendar (statutory holidays off, 调休 make-up
days worked, as `workdays.calendar` says):

- not yet past: `days` = the working days after today up to and including the deadline's day
  (`working_days_between`, the count `add_working_days` makes: a deadline set "within N working days"
  from now has N left); 0 on the deadline's own day ("due today"), or when only days off remain;
- past (`at` later than the deadline): `overdue`, and `days` = the working days after the deadline's
  day up to and including today, at least 1 — a Friday deadline reads "1 working day overdue" on
  Saturday, Sunday and Monday, 2 on Tuesday;
- the light: `RED` when overdue; `YELLOW` when due within `DUE_SOON_WORKING_DAYS` working days (today
  included); `GREEN` otherwise; `NONE` with no deadline, or when the thing is done (`closed=True`).

A day (a `date`, e.g. a supervision's reply-by day) is due at the end of that day in Asia/Shanghai, as
every deadline the issue clocks store.

**Rates** — `rate_light(rate)` lights a unit's or a chain's rate (on-time resolution, response,
satisfaction: a Decimal from 0 to 1, as issues.kpis computes them): `GREEN` from `RATE_GREEN_FROM`
(90 %), `YELLOW` from `RATE_YELLOW_FROM` (75 %), `RED` below, `NONE` when there is no rate (nothing to
divide by).

`describe_time_left` gives the words ("剩余 3 个工作日", "超期 2 个工作日", "今日到期"); the template tags in
`chainparty/templatetags/lights.py` (`{% load lights %}`) render them with the light.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext, ngettext

from chainparty.dates import SHANGHAI
from workdays.calendar import working_days_between

# Yellow from this many working days before the deadline's day (0 = due today, so 2 means today, the next
# working day and the one after): one working day more than the warning the sweep sends
# (issues.deadlines.WARN_DAYS_BEFORE = 1), so the light turns before the warning arrives and is yellow
# when it does.
DUE_SOON_WORKING_DAYS = 2

# A rate is green from 90 %, yellow from 75 %, red below 75 %. Rates are fractions from 0 to 1.
RATE_GREEN_FROM = Decimal("0.90")
RATE_YELLOW_FROM = Decimal("0.75")


class Light(StrEnum):
    """A light's name; also the suffix of its CSS class (`light light-red`). A str: it compares equal to
    "red" in templates and serialises as "red" in JSON."""

    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"
    NONE = "none"


@dataclass(frozen=True)
class TimeLeft:
    """A deadline as of an instant. `days`: working days left (0 or more) or, when `overdue`, working
    days overdue (1 or more); `due_today`: not overdue and due on today's date; `light`: see the module
    docstring. With no deadline (or closed): days 0, not overdue, not due today, `Light.NONE`."""

    days: int
    overdue: bool
    due_today: bool
    light: Light

    @property
    def has_deadline(self) -> bool:
        return self.light != Light.NONE


NO_DEADLINE = TimeLeft(days=0, overdue=False, due_today=False, light=Light.NONE)


def _aware(moment: datetime, argument: str) -> datetime:
    if moment.utcoffset() is None:
        raise ValueError(f"{argument} must be a timezone-aware datetime, got {moment!r}")
    return moment.astimezone(SHANGHAI)


def _deadline_instant(deadline: datetime | date) -> datetime:
    if isinstance(deadline, datetime):  # a datetime is a date too: ask first
        return _aware(deadline, "deadline")
    if isinstance(deadline, date):
        return datetime.combine(deadline, time.max, tzinfo=SHANGHAI)
    raise TypeError(f"deadline must be a datetime, a date or None, got {deadline!r}")


def time_left(deadline: datetime | date | None, *, at: datetime, closed: bool = False) -> TimeLeft:
    """The working days left on (or past) `deadline` as of the aware instant `at`, with its light.

    `deadline` is an aware datetime, a day (due at its end, Asia/Shanghai) or None (no deadline);
    `closed=True` (the issue or share is done) gives no light whatever the deadline."""
    if not isinstance(at, datetime):
        raise TypeError(f"at must be a timezone-aware datetime, got {at!r}")
    now = _aware(at, "at")
    if deadline is None or closed:
        return NO_DEADLINE
    due = _deadline_instant(deadline)
    today, due_day = now.date(), due.date()
    if now > due:
        return TimeLeft(
            days=max(1, working_days_between(due_day, today)), overdue=True, due_today=False, light=Light.RED
        )
    days = working_days_between(today, due_day)
    light = Light.YELLOW if days <= DUE_SOON_WORKING_DAYS else Light.GREEN
    return TimeLeft(days=days, overdue=False, due_today=due_day == today, light=light)


def rate_light(rate: Decimal | None) -> Light:
    """The light of a rate from 0 to 1 (issues.kpis' rates): green from RATE_GREEN_FROM, yellow from
    RATE_YELLOW_FROM, red below; NONE when there is no rate. A rate outside 0..1 (a percentage passed
    by mistake) is a ValueError, not a wrong light."""
    if rate is None:
        return Light.NONE
    if not 0 <= rate <= 1:
        raise ValueError(f"a rate is a fraction from 0 to 1, got {rate!r}")
    if rate >= RATE_GREEN_FROM:
        return Light.GREEN
    if rate >= RATE_YELLOW_FROM:
        return Light.YELLOW
    return Light.RED


def describe_time_left(left: TimeLeft) -> str:
    """The time left as people read it, in the active language: "剩余 3 个工作日" / "3 working days
    left", "超期 2 个工作日" / "2 working days overdue", "今日到期" / "due today"; "" with no deadline."""
    if not left.has_deadline:
        return ""
    if left.overdue:
        return ngettext("%(count)d working day overdue", "%(count)d working days overdue", left.days) % {
            "count": left.days
        }
    if left.due_today:
        return gettext("due today")
    return ngettext("%(count)d working day left", "%(count)d working days left", left.days) % {"count": left.days}
