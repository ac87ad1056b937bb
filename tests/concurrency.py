"""Helpers for tests that make real PostgreSQL sessions meet (races, locks, a killed process)."""

import time

from django.db import connection


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
