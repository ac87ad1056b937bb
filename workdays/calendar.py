"""Working days on the mainland-China calendar, for the SLA deadlines of issue tickets (design §4.6:
"deadlines count working days on the mainland-China calendar (statutory holidays and make-up working
days, 调休)").

A day is a working day when it is Monday to Friday and not a `holiday` row of `CalendarDay`, or when
it is a `workday` row (a make-up Saturday or Sunday). Days are local dates in Asia/Shanghai.

The counting rule (`add_working_days`), after the civil-law rule that the starting day is not counted
(民法典 §201) and the 12345 hot-line practice that a ticket received on a day off is counted from the
next working day:

- the clock starts at `start`; the rest of `start`'s own day is not counted, whatever the hour;
- the deadline is the END of the N-th working day after the day of `start`: 23:59:59.999999 local
  time of that day (so `deadline.date()` is the due date a person reads, and an issue is overdue
  when `now > deadline`);
- a start on a day off therefore counts from the next working day: 1 working day from Saturday ends
  on Monday night, the same as from Friday;
- 0 working days means "by the end of today", or of the next working day when today is a day off.

Examples on the 2026 calendar (国庆节 1–7 October, make-up working days Sun 20 Sep and Sat 10 Oct):
1 working day from Wed 30 Sep 10:00 ends Thu 8 Oct 23:59:59.999999; 2 working days from Fri 9 Oct
end on Mon 12 Oct, because Sat 10 Oct is worked.

The exceptions are read from the database in one query (the whole table: some 35 rows a year) and
kept in this process. A save or delete of a `CalendarDay` clears the cache in the process that made
it (workdays.signals); other processes (web workers, Celery) reload after `CACHE_SECONDS`; bulk
writes (`load_holidays`) call `clear_cache()` themselves, and so must tests that roll rows back.

A year without a single row falls back to plain Monday to Friday, with one warning in the log per
year: staff must enter that year's holidays (the package only knows the years the State Council has
published).
"""

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock

from chainparty.dates import SHANGHAI
from workdays.models import CalendarDay, Kind

logger = logging.getLogger(__name__)

END_OF_DAY = clock.max  # 23:59:59.999999
# How stale another process's copy may get after a staff edit; holidays change about once a year.
CACHE_SECONDS = 300


@dataclass(frozen=True)
class _Exceptions:
    working: dict[date, bool]  # the CalendarDay rows: date -> is it worked
    years: frozenset[int]  # years with at least one row
    loaded_at: float


_cache: _Exceptions | None = None
_warned_years: set[int] = set()


def clear_cache() -> None:
    """Forget the loaded exceptions (and which missing years were already warned about)."""
    global _cache
    _cache = None
    _warned_years.clear()


def _exceptions() -> _Exceptions:
    global _cache
    cached = _cache
    if cached is None or time.monotonic() - cached.loaded_at > CACHE_SECONDS:
        working = {day: kind == Kind.WORKDAY for day, kind in CalendarDay.objects.values_list("date", "kind")}
        cached = _Exceptions(working=working, years=frozenset(day.year for day in working), loaded_at=time.monotonic())
        _cache = cached
    return cached


def _is_working(day: date, calendar: _Exceptions) -> bool:
    if isinstance(day, datetime):
        raise TypeError("expected a date, got a datetime: take .astimezone(SHANGHAI).date() first")
    worked = calendar.working.get(day)
    if worked is not None:
        return worked
    if day.year not in calendar.years and day.year not in _warned_years:
        _warned_years.add(day.year)
        logger.warning(
            "No holidays on record for %s: counting Monday to Friday as working days. "
            "Run load_holidays or enter the year's holidays in the admin.",
            day.year,
        )
    return day.weekday() < 5


def _next(day: date, calendar: _Exceptions) -> date:
    day += timedelta(days=1)
    while not _is_working(day, calendar):
        day += timedelta(days=1)
    return day


def _previous(day: date, calendar: _Exceptions) -> date:
    day -= timedelta(days=1)
    while not _is_working(day, calendar):
        day -= timedelta(days=1)
    return day


def _local(moment: datetime, argument: str) -> datetime:
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise ValueError(f"{argument} must be a timezone-aware datetime, got {moment!r}")
    return moment.astimezone(SHANGHAI)


def _check_days(days: int) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"days must be a whole number of working days, 0 or more, got {days!r}")


def is_working_day(day: date) -> bool:
    """Whether people work on `day` (a local date) on the mainland-China calendar."""
    return _is_working(day, _exceptions())


def next_working_day(day: date) -> date:
    """The first working day after `day` (`day` itself excluded)."""
    return _next(day, _exceptions())


def previous_working_day(day: date) -> date:
    """The last working day before `day` (`day` itself excluded)."""
    return _previous(day, _exceptions())


def add_working_days(start: datetime, days: int) -> datetime:
    """The deadline of "within `days` working days" from the aware datetime `start`.

    The end (23:59:59.999999, Asia/Shanghai) of the `days`-th working day after the local day of
    `start`; the rest of `start`'s own day does not count (module docstring). `days=0` is the end of
    `start`'s day if it is a working day, else of the next working day.
    """
    _check_days(days)
    calendar = _exceptions()
    day = _local(start, "start").date()
    if days == 0 and not _is_working(day, calendar):
        day = _next(day, calendar)
    for _ in range(days):
        day = _next(day, calendar)
    return datetime.combine(day, END_OF_DAY, tzinfo=SHANGHAI)


def subtract_working_days(deadline: datetime, days: int) -> datetime:
    """The moment `days` working days before `deadline`, at the same local time of day.

    Each step moves to the previous working day, so for a deadline from `add_working_days` (which
    always falls on a working day) `subtract_working_days(deadline, 1)` is the end of the last working
    day before the due date: the moment the warning of design §4.6 ("one working day before a
    deadline") is due, when exactly one working day is left.
    """
    _check_days(days)
    calendar = _exceptions()
    local = _local(deadline, "deadline")
    day = local.date()
    for _ in range(days):
        day = _previous(day, calendar)
    return datetime.combine(day, local.time(), tzinfo=SHANGHAI)


def working_days_between(start: date, end: date) -> int:
    """The number of working days after `start` up to and including `end` (negative if end < start).

    The same count as `add_working_days`: for a working day `end` after `start`,
    `add_working_days(<a moment on start>, working_days_between(start, end))` ends on `end`.
    """
    if start == end:
        return 0
    calendar = _exceptions()
    low, high, sign = (start, end, 1) if start < end else (end, start, -1)
    count = sum(_is_working(low + timedelta(days=offset), calendar) for offset in range(1, (high - low).days + 1))
    return sign * count
