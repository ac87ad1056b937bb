"""Timing for the benchmark commands (figures go to docs/benchmarks.md): in-process requests
(`time_get`), and the registry of hot reads with their floors that `manage.py bench` runs."""

import math
import statistics
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.management import CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils.module_loading import autodiscover_modules


@dataclass
class Timing:
    url: str
    queries: int
    median_ms: float
    min_ms: float
    max_ms: float
    requests: int

    def line(self) -> str:
        return (
            f"GET {self.url}: {self.queries} queries; median {self.median_ms:.1f} ms, "
            f"min {self.min_ms:.1f} ms, max {self.max_ms:.1f} ms over {self.requests} requests"
        )


def time_get(client, url: str, requests: int) -> Timing:
    """One warm-up request, one with its queries captured, then `requests` timed ones."""
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        # Each request empties the connection's query log (request_started -> reset_queries); empty it
        # first so that the capture's starting index is 0.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings = []
        for _ in range(requests):
            began = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
    return Timing(url, len(queries), statistics.median(timings), min(timings), max(timings), requests)


# --- the registry of hot reads, for `manage.py bench` --------------------------------------------
#
# Each app that has a read worth watching registers a case from its own `bench` module (discovered
# like admin modules): a context manager that, given the seeded world, yields a `Bound` — the read as
# a person or client makes it (a request through the test client, or the service a beat job runs),
# the floor (the one hand-written SQL statement that returns the same rows), and how to compare
# them. The `bench` command checks the two agree, then times them interleaved.


@dataclass
class Bound:
    """One case, ready to time. `read()` is timed and returns rows; `floor()` is timed and returns
    rows; the two must compare equal (after `same`, when the read's return is richer)."""

    label: str
    read: Callable[[], Any]
    floor: Callable[[], Any]
    # What to compare: the read's rows when it is not what read() returns (a page whose HTML is not
    # rows, say); called once, untimed.
    rows: Callable[[], Any] | None = None
    # Called after the timed reads and before the timed floors, which then do not interleave: for a
    # read judged in a state (stale statistics) that the floor, the best the database can do on the
    # same rows, should not share.
    settle: Callable[[], None] | None = None


@dataclass(frozen=True)
class Case:
    name: str
    goal: float  # the largest ratio read / floor that passes `bench --check`
    factory: Callable[[Any], AbstractContextManager[Bound | None]]
    # Or passes when the read's median is within this many ms of the trivial endpoint's (TRIVIAL):
    # a read whose floor is a millisecond or two is judged on what it adds to any request.
    slack_ms: float | None = None
    # And, when set, passes only with the read's median under this many ms (an absolute target).
    limit_ms: float | None = None


CASES: dict[str, Case] = {}


def register(name: str, *, goal: float, slack_ms: float | None = None, limit_ms: float | None = None):
    """Register a bench case: `@register("issues.list.handler", goal=2)` on a generator function
    taking the bench context and yielding a Bound (or None to skip, saying why on the context)."""

    def decorator(function):
        CASES[name] = Case(name, goal, contextmanager(function), slack_ms, limit_ms)
        return function

    return decorator


def discover() -> dict[str, Case]:
    autodiscover_modules("bench")
    return CASES


def floor_rows(sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass
class Measure:
    case: Case
    label: str
    queries: int
    read_ms: list[float] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(self.read_ms) / max(statistics.median(self.floor_ms), 0.001)

    def passed(self, trivial_ms: float | None) -> bool:
        median, limit = statistics.median(self.read_ms), self.case.limit_ms
        if limit is not None and median >= limit:
            return False
        if self.ratio <= self.case.goal:
            return True
        slack = self.case.slack_ms
        return slack is not None and trivial_ms is not None and median <= trivial_ms + slack


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def measure(case: Case, bound: Bound, runs: int) -> Measure:
    """Check read and floor agree, count the read's queries, then time them interleaved (one warm-up)."""
    answer = bound.read()
    rows = bound.rows() if bound.rows else answer
    floor = bound.floor()
    if rows != floor:
        raise CommandError(
            f"{case.name}: the read and its floor disagree:\n read  {rows!r:.300}\n floor {floor!r:.300}"
        )
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        bound.read()
    result = Measure(case, bound.label, len(queries))
    if bound.settle is None:
        rounds = [[(bound.read, result.read_ms), (bound.floor, result.floor_ms)]] * runs
    else:
        reads, floors = [(bound.read, result.read_ms)], [(bound.floor, result.floor_ms)]
        rounds = [reads] * runs + [[(bound.settle, [])]] + [floors] * runs
    for pairs in rounds:
        for timed, into in pairs:
            began = time.perf_counter()
            timed()
            into.append((time.perf_counter() - began) * 1000)
    return result


TRIVIAL = "trivial"


@register(TRIVIAL, goal=math.inf)
def trivial_endpoint(context):
    """GET /health/ (one SELECT 1 through the whole middleware stack) beside a bare SELECT 1: what any
    request costs here, against which a read with a tiny floor is judged (Case.slack_ms)."""
    client = Client()
    yield Bound(
        label="GET /health/ (the trivial endpoint)",
        read=lambda: client.get("/health/").json()["status"],
        floor=lambda: floor_rows("SELECT 'ok'")[0][0],
    )
