"""Timing of in-process requests for the benchmark commands (figures go to docs/benchmarks.md)."""

import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.management import CommandError
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext, override_settings


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
