"""Helpers for tests that make real PostgreSQL sessions meet (races, locks, a killed process).

Threads here each open their own database connection, so the tests that use them run with
`@pytest.mark.django_db(transaction=True)`: the other sessions must see the rows the test commits."""

import threading
import time
from collections.abc import Callable

from django.db import connection, transaction


def backends_waiting_on_a_lock() -> int:
    """How many sessions of the test database wait on a lock right now."""
    with connection.cursor() as cursor:
        # pg_stat_activity is a snapshot held for the transaction unless cleared: tests poll inside one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            [connection.settings_dict["NAME"]],
        )
        return cursor.fetchone()[0]


def wait_until(predicate, *, timeout, what):
    """Poll `predicate` until it is true or `timeout` seconds have passed (no fixed sleep)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


class _Threads:
    """Callables started at once in threads of their own, each closing its database connection when
    done; what they return is kept in order, and the first exception any of them raised is raised
    again in the test's thread."""

    def __init__(self, *targets: Callable):
        self.results: list = [None] * len(targets)
        self.errors: list[BaseException] = []
        # Released together, so that they really run at once.
        barrier = threading.Barrier(len(targets)) if len(targets) > 1 else None

        def run(index, target):
            try:
                if barrier is not None:
                    barrier.wait(timeout=10)
                self.results[index] = target()
            except BaseException as exc:  # noqa: BLE001 - raised again in the test's thread
                self.errors.append(exc)
            finally:
                connection.close()

        self.threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
        for thread in self.threads:
            thread.start()

    def raise_an_error(self):
        if self.errors:
            raise self.errors[0]

    def join(self, timeout: float = 60) -> list:
        for thread in self.threads:
            thread.join(timeout=timeout)
            assert not thread.is_alive(), f"a thread was still running after {timeout} s"
        self.raise_an_error()
        return self.results


def in_threads(*targets: Callable, timeout: float = 60) -> list:
    """Run the callables at once, each in its own thread and database session, released together by a
    barrier; return what each returned, in order. Any exception in a thread fails the test with it."""
    return _Threads(*targets).join(timeout)


def race_past_a_lock(hold: Callable, *racers: Callable, waiting: int | None = None, timeout: float = 30):
    """Make sessions provably meet on a lock: `hold` runs in a transaction of its own that stays open;
    then the racers start together, and once `waiting` sessions (one per racer unless told) wait on a
    lock, the held transaction commits and the racers go on. Returns (what `hold` returned, what each
    racer returned). Any exception, in `hold` or a racer, fails the test with it."""
    held, release = threading.Event(), threading.Event()

    def holding():
        try:
            with transaction.atomic():
                result = hold()
                held.set()
                # Longer than the wait below, so that a racer that never waits is what gets reported.
                assert release.wait(timeout=timeout + 30), "the held transaction was never released"
            return result
        finally:
            held.set()

    holder = _Threads(holding)
    assert held.wait(timeout=timeout), "`hold` never ran"
    holder.raise_an_error()
    racing = _Threads(*racers)
    waiting = len(racers) if waiting is None else waiting

    def met() -> bool:
        holder.raise_an_error()
        racing.raise_an_error()
        return backends_waiting_on_a_lock() >= waiting

    try:
        wait_until(met, timeout=timeout, what=f"{waiting} session(s) to wait on the held lock")
    finally:
        release.set()
    (result,) = holder.join()
    return result, racing.join()
