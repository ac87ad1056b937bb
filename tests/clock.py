"""Instants on the district's clock (Asia/Shanghai) for the tests.

Most tests live on the 2026 calendar (its National Day week, its make-up working days), so the year
is a keyword defaulting to 2026: `at(9, 30)` is 10:00 on Wednesday 30 September 2026, `at(12, 31,
23, 30)` half an hour before the New Year, `at(1, 2, year=2099)` a day of a year with no calendar loaded."""

from datetime import date, datetime, time

from chainparty.dates import SHANGHAI

YEAR = 2026


def at(month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0, *, year: int = YEAR) -> datetime:
    """That moment of that day in Shanghai (10:00 unless told: inside working hours)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def end_of(month: int, day: int, *, year: int = YEAR) -> datetime:
    """The last microsecond of that day in Shanghai: how every deadline is stored."""
    return datetime.combine(date(year, month, day), time.max, tzinfo=SHANGHAI)
