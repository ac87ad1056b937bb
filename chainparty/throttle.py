"""Fixed-window request counters in the database, for the throttles of chainparty.middleware.

No cache is configured for production (and a per-process one would count each worker apart), while
every process already shares the database: a window is a row of `RateWindow`, (key, window start)
unique, and counting is one statement — INSERT … ON CONFLICT DO UPDATE SET count = count + 1
RETURNING count — on PostgreSQL and SQLite alike, exact under concurrent requests (the row lock of
the conflicting insert serialises them). A fixed window may let through up to twice the limit across
a window's edge; for a flood guard that is good enough, and it costs one row per key and window.

A rate is (requests, seconds), from settings.RATE_LIMITS (chainparty.env.env_rate)."""

import math
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.utils import timezone

from chainparty.models import RateWindow

Rate = tuple[int, int]


def _window(rate: Rate, now: datetime) -> tuple[datetime, datetime]:
    seconds = rate[1]
    start = math.floor(now.timestamp() / seconds) * seconds
    begin = datetime.fromtimestamp(start, tz=UTC)
    return begin, begin + timedelta(seconds=seconds)


def _retry_after(end: datetime, now: datetime) -> int:
    return max(1, math.ceil((end - now).total_seconds()))


def hit(key: str, rate: Rate, *, now: datetime | None = None) -> int | None:
    """Count one request for `key` in the current window. None when it is within the rate; when it is
    past it, the seconds until the window ends (the Retry-After)."""
    now = now or timezone.now()
    begin, end = _window(rate, now)
    table = connection.ops.quote_name(RateWindow._meta.db_table)
    count = connection.ops.quote_name("count")
    sql = (
        f"INSERT INTO {table} ({connection.ops.quote_name('key')}, window_start, expires_at, {count}) "  # noqa: S608 - names only
        f"VALUES (%s, %s, %s, 1) ON CONFLICT ({connection.ops.quote_name('key')}, window_start) "
        f"DO UPDATE SET {count} = {table}.{count} + 1 RETURNING {count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, begin, end])
        (counted,) = cursor.fetchone()
    return _retry_after(end, now) if counted > rate[0] else None


def purge_rate_windows(*, now: datetime | None = None) -> int:
    """Delete the windows that have ended; how many. Part of the daily clean-up (accounts.tasks)."""
    deleted, _by_model = RateWindow.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
