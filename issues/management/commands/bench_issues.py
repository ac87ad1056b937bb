"""`manage.py bench_issues [--issues N] [--requests R]`: the issue benchmark (figures in docs/benchmarks.md).

Seeds N issues (default 200,000; 10% overdue) with issues.bench.seed_issues — bulk_create, not
through the services: the deadlines are set directly — on top of the chains demo (run `seed_demo`
first), then reports:

- one sweep's wall time and query count (the first sweep after seeding catches up on every overdue
  issue; the second finds nothing new);
- the issue list API's query count and median latency for a unit user (the demo `handler`), through
  DRF's APIClient in-process against /api/v1/issues/.

Benchmark issues are titled "【基准】…"; a rerun tops them up to N and measures again. `manage.py bench`
times every hot read beside its floor.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from issues.bench import benchmark_issue_count, seed_issues
from issues.models import Issue
from issues.sweep import sweep_deadlines


class Command(BaseCommand):
    help = "Seed N issues (10% overdue) and measure one sweep and the issue list API for a unit user."

    def add_arguments(self, parser):
        parser.add_argument("--issues", type=int, default=200_000)
        parser.add_argument("--requests", type=int, default=21, help="list API requests to time (median)")
        parser.add_argument("--user", default="handler", help="the unit user whose list is timed")

    def handle(self, *args, issues, requests, user, **options):
        if issues < 0 or requests < 1:
            raise CommandError("--issues must be 0 or more and --requests 1 or more.")
        handler = User.objects.filter(username=user).select_related("unit").first()
        if handler is None or handler.unit is None:
            raise CommandError(f"No unit user “{user}”: run `manage.py seed_demo` first.")
        existing = benchmark_issue_count()
        started = time.perf_counter()
        try:
            to_seed = seed_issues(issues, log=self.stdout.write)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        seed_seconds = time.perf_counter() - started
        total = Issue.objects.count()
        self.stdout.write(
            f"Seeded {to_seed} issues in {seed_seconds:.1f} s ({existing} benchmark issues were there); "
            f"{total} issues in the table, {Issue.objects.overdue(timezone.now()).count()} overdue."
        )

        for label in ("first sweep (catch-up)", "second sweep (nothing new)"):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                counts = sweep_deadlines()
                seconds = time.perf_counter() - began
            done = ", ".join(f"{kind}={n}" for kind, n in counts.items() if n) or "nothing due"
            self.stdout.write(f"{label}: {seconds * 1000:.0f} ms, {len(queries)} queries; {done}")

        self._time_list(handler, requests)

    # --- the list API ------------------------------------------------------------------------------
    def _time_list(self, user, requests: int) -> None:
        from rest_framework.test import APIClient

        from chainparty.bench import time_get
        from issues.selectors import list_issues_for_user

        client = APIClient()
        client.force_authenticate(user)
        visible = list_issues_for_user(user).count()
        timing = time_get(client, "/api/v1/issues/", requests)
        self.stdout.write(f"{timing.line()} as {user.username} ({user.unit}; {visible} issues visible)")
