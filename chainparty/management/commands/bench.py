"""`manage.py bench [--issues N] [--enterprises N] [--runs R] [--case NAME ...] [--check]`: the hot reads at
district scale, each beside its floor (figures in docs/benchmarks.md).

Seeds or tops up the dataset first — the demo world with `--enterprises N` enterprises (seed_demo) and
`--issues N` benchmark issues in bulk (issues.bench.seed_issues), then one sweep so that the ladder
is where it would be — and ANALYZEs what it wrote. Then, for each case registered in an app's
`bench` module (chainparty.bench.register): the read and its floor (one hand-written SQL statement)
must return the same rows; one run counts the read's queries; then `--runs` interleaved runs of
each give the medians and 95th percentiles, and the ratio of the medians. `--check` fails (exit
status 1) when a ratio is over its case's goal. PostgreSQL only (the floors are its SQL).
"""

import statistics
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from chainparty import bench
from issues.bench import benchmark_issue_count, seed_issues
from issues.sweep import sweep_deadlines


class Context:
    """What a case gets: where to say something that is not a timing (a one-off figure, a skip)."""

    def __init__(self, write):
        self.notes: list[str] = []
        self._write = write

    def note(self, line: str) -> None:
        self.notes.append(line)
        self._write(f"  {line}")


class Command(BaseCommand):
    help = "Seed or top up a district-sized dataset and time each hot read beside its floor (SQL)."

    def add_arguments(self, parser):
        parser.add_argument("--issues", type=int, default=50_000, help="benchmark issues in total (topped up)")
        parser.add_argument("--enterprises", type=int, default=40_000, help="enterprises in total (topped up)")
        parser.add_argument("--runs", type=int, default=21, help="timed runs of each read and floor")
        parser.add_argument("--case", action="append", default=[], help="only this case (repeatable; a prefix)")
        parser.add_argument("--check", action="store_true", help="exit 1 when a ratio is over its goal")

    def handle(self, *args, issues, enterprises, runs, case, check, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench measures PostgreSQL (the floors are its SQL); set DATABASE_URL.")
        if issues < 0 or enterprises < 0 or runs < 1:
            raise CommandError("--issues and --enterprises must be 0 or more, --runs 1 or more.")
        self._seed(issues=issues, enterprises=enterprises)
        cases = [c for name, c in bench.discover().items() if not case or any(name.startswith(p) for p in case)]
        if not cases:
            raise CommandError(f"No case matches {case}; there are {', '.join(bench.CASES)}.")
        context = Context(self.stdout.write)
        measures = []
        # The test client's host, for the cases' own requests too.
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            for item in sorted(cases, key=lambda c: c.name != bench.TRIVIAL):
                with item.factory(context) as bound:
                    if bound is None:
                        context.note(f"{item.name}: skipped (its user or data is missing)")
                        continue
                    measure = bench.measure(item, bound, runs)
                measures.append(measure)
                self.stdout.write(f"  {item.name}: {bound.label}")
        self._report(measures, runs, check)

    def _seed(self, *, issues: int, enterprises: int) -> None:
        began = time.perf_counter()
        call_command("seed_demo", enterprises=enterprises, stdout=_Quiet())
        before = benchmark_issue_count()
        added = seed_issues(issues, log=self.stdout.write)
        if added:
            swept = time.perf_counter()
            counts = sweep_deadlines()
            self.stdout.write(
                f"first sweep over the new issues: {(time.perf_counter() - swept) * 1000:.0f} ms, "
                f"{sum(counts.values()):,} alerts"
            )
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"dataset: {benchmark_issue_count():,} benchmark issues ({added:,} added to {before:,}), "
            f"seeded in {time.perf_counter() - began:.1f} s"
        )

    def _report(self, measures, runs: int, check: bool) -> None:
        trivial = next((m for m in measures if m.case.name == bench.TRIVIAL), None)
        trivial_ms = statistics.median(trivial.read_ms) if trivial else None
        self.stdout.write(
            f"\n{runs} interleaved runs each; times in ms\n\n"
            "| case | read median | read p95 | floor median | floor p95 | ratio | goal | queries | |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|---|"
        )
        failed = []
        for m in measures:
            goal = "—" if m.case.name == bench.TRIVIAL else f"≤ {m.case.goal:g}×"
            if m.case.slack_ms is not None:
                goal += f" or ≤ trivial + {m.case.slack_ms:g} ms"
            if m.case.limit_ms is not None:
                goal += f" and < {m.case.limit_ms:g} ms"
            verdict = "ok" if m.passed(trivial_ms) else "**over**"
            if verdict != "ok":
                failed.append(m.case.name)
            self.stdout.write(
                f"| {m.case.name} | {statistics.median(m.read_ms):.1f} | {bench.p95(m.read_ms):.1f} "
                f"| {statistics.median(m.floor_ms):.1f} | {bench.p95(m.floor_ms):.1f} | {m.ratio:.2f}× "
                f"| {goal} | {m.queries} | {verdict} |"
            )
        if check and failed:
            raise CommandError(f"Over the goal: {', '.join(failed)}")


class _Quiet:
    """seed_demo's account table is not what a benchmark run wants to print."""

    def write(self, *args, **kwargs) -> None:
        pass

    def flush(self) -> None:
        pass
