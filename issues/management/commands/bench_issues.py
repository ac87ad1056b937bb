"""`manage.py bench_issues [--issues N] [--requests R]`: the issue benchmark (figures in docs/benchmarks.md).

Seeds N issues (default 200,000; 10% overdue) with bulk_create — not through the services: the
deadlines are set directly — on top of the chains demo (run `seed_demo` first), then reports:

- one sweep's wall time and query count (the first sweep after seeding catches up on every overdue
  issue; the second finds nothing new);
- the issue list API's query count and median latency for a unit user (the demo `handler`), through
  DRF's APIClient in-process against /api/v1/issues/.

Benchmark issues are titled "【基准】…"; a rerun tops them up to N and measures again.
"""

import random
import time
from collections import Counter
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Unit, UnitKind, User
from chains.models import Chain, ChainMembership
from issues import deadlines
from issues.demo import ensure_categories
from issues.models import DispatchMode, Issue, IssueShare, ShareRole, ShareStatus, Status
from issues.sweep import sweep_deadlines
from workdays.calendar import add_working_days, subtract_working_days

MARK = "【基准】"
BATCH = 5000
# Share of the issues in each state; "overdue" is in progress past its resolve deadline.
MIX = [
    ("overdue", 0.10),
    ("closed", 0.50),
    ("resolved", 0.10),
    ("in_progress", 0.20),
    ("dispatched", 0.05),
    ("submitted", 0.05),
]


def _kind_for(index: int) -> str:
    position = (index % 100) / 100
    total = 0.0
    for kind, share in MIX:
        total += share
        if position < total:
            return kind
    return MIX[-1][0]


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
        existing = Issue.objects.filter(title__startswith=MARK).count()
        to_seed = max(0, issues - existing)
        started = time.perf_counter()
        if to_seed:
            self._seed(to_seed, offset=existing)
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

    # --- seeding -----------------------------------------------------------------------------
    def _seed(self, count: int, *, offset: int) -> None:
        categories = list(ensure_categories(Counter()).values())
        chains = {c.pk: c for c in Chain.objects.select_related("lead_unit")}
        memberships = list(ChainMembership.objects.values_list("enterprise_id", "chain_id"))
        departments = list(Unit.objects.filter(kind=UnitKind.ECONOMIC_DEPARTMENT, is_active=True))
        submitter = User.objects.filter(username="staff").first()
        if not memberships or not departments or submitter is None:
            raise CommandError("The chains demo is not loaded: run `manage.py seed_demo` first.")
        rng = random.Random(20260930 + offset)
        now = timezone.now()
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            rows, leads = [], []
            for index in range(offset + start, offset + start + size):
                enterprise_id, chain_id = memberships[rng.randrange(len(memberships))]
                chain = chains[chain_id]
                category = categories[index % len(categories)]
                lead = chain.lead_unit if rng.random() < 0.6 else departments[rng.randrange(len(departments))]
                issue, share = self._issue(_kind_for(index), category, now, rng)
                issue.enterprise_id, issue.chain_id, issue.category = enterprise_id, chain_id, category
                issue.title = f"{MARK}{category.name}诉求{index:06d}"
                issue.description = "基准测试数据"
                issue.submitted_by = submitter
                if share is not None:
                    issue.lead_unit = lead
                    issue.dispatch_mode = DispatchMode.TRANSFER
                rows.append(issue)
                leads.append((lead, share))
            with transaction.atomic():
                Issue.objects.bulk_create(rows, batch_size=BATCH)
                IssueShare.objects.bulk_create(
                    [
                        IssueShare(
                            issue=issue, unit=lead, role=ShareRole.LEAD, status=share, due_at=issue.resolve_due_at
                        )
                        for issue, (lead, share) in zip(rows, leads, strict=True)
                        if share is not None
                    ],
                    batch_size=BATCH,
                )
            self.stdout.write(f"  {start + size}/{count}")
        with connection.cursor() as cursor:
            # The number comes from the primary key, as submit_issue does it.
            cursor.execute(
                "UPDATE issues_issue SET number = 'LZ-' || to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY')"
                " || '-' || lpad(id::text, 6, '0') WHERE number IS NULL"
            )
            cursor.execute("ANALYZE issues_issue; ANALYZE issues_issueshare")

    @staticmethod
    def _issue(kind: str, category, now, rng) -> tuple[Issue, str | None]:
        issue = Issue(category=category)
        if kind == "submitted":
            issue.status = Status.SUBMITTED
            deadlines.start_accept_clock(issue, now - timedelta(hours=rng.randrange(1, 20)))
            return issue, None
        if kind == "dispatched":
            dispatched = now - timedelta(hours=rng.randrange(1, 20))
            share = ShareStatus.PENDING
        elif kind == "in_progress":
            # Still within the deadline: dispatched fewer working days ago than it has.
            dispatched = subtract_working_days(now, rng.randrange(0, category.resolve_days))
            share = ShareStatus.SIGNED
        elif kind == "overdue":
            # 1 to 10 working days past the deadline: every rung of the ladder is represented.
            dispatched = subtract_working_days(now, category.resolve_days + rng.randrange(1, 11))
            share = ShareStatus.SIGNED
        else:  # resolved or closed: dispatched weeks to a year ago
            dispatched = now - timedelta(days=rng.randrange(20 if kind == "resolved" else 30, 365))
            share = ShareStatus.REPLIED
        issue.accepted_at = issue.dispatched_at = dispatched
        deadlines.start_handling_clocks(issue, dispatched)
        if kind == "dispatched":
            issue.status = Status.DISPATCHED
            return issue, share
        issue.status = Status.IN_PROGRESS
        issue.signed_at = dispatched + timedelta(hours=2)
        if kind in ("in_progress", "overdue"):
            return issue, share
        issue.resolved_at = min(issue.resolve_due_at, dispatched + timedelta(days=rng.randrange(1, 14)))
        issue.answer = "已办结"
        if kind == "resolved":
            issue.status = Status.RESOLVED
            # Answered recently: the rating window is still open.
            issue.resolved_at = now - timedelta(hours=rng.randrange(1, 48))
            issue.rate_due_at = add_working_days(issue.resolved_at, category.rate_days)
            return issue, share
        issue.status = Status.CLOSED
        issue.closed_at = issue.resolved_at + timedelta(days=1)
        return issue, share

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
