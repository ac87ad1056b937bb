"""`manage.py bench` on a tiny dataset: every registered case runs, its read and floor agree (the
command refuses to time a pair that return different rows), and --check judges the ratios — so
the benchmark cannot rot while nobody runs it at scale."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from chainparty import bench
from issues.bench import MARK
from issues.models import Issue

pytestmark = pytest.mark.django_db(transaction=False)


def run(*args: str) -> str:
    out = StringIO()
    call_command("bench", "--issues", "60", "--enterprises", "0", "--runs", "1", *args, stdout=out)
    return out.getvalue()


def test_bench_times_every_registered_case_beside_its_floor():
    output = run()
    assert Issue.objects.filter(title__startswith=MARK).count() == 60
    rows = {line.split(" | ")[0].strip("| "): line for line in output.splitlines() if line.startswith("| ")}
    expected = set(bench.discover())
    assert expected <= set(rows), output
    assert "issues.list.handler.deep" in rows
    assert "issues.sweep.after_catchup" in rows
    assert "catch-up sweep:" in output


def test_bench_tops_up_and_check_fails_a_ratio_over_its_goal(monkeypatch):
    run("--case", "trivial")
    # A goal no read can meet: --check must say so and exit non-zero.
    monkeypatch.setitem(bench.CASES, "issues.kpis", bench.Case("issues.kpis", 0.0, bench.CASES["issues.kpis"].factory))
    with pytest.raises(CommandError, match="Over the goal: issues.kpis"):
        run("--case", "issues.kpis", "--check")
    assert Issue.objects.filter(title__startswith=MARK).count() == 60  # topped up once, not twice


def test_check_fails_a_read_over_its_time_limit_whatever_its_ratio(monkeypatch):
    factory = bench.CASES["issues.kpis"].factory
    monkeypatch.setitem(bench.CASES, "issues.kpis", bench.Case("issues.kpis", float("inf"), factory, limit_ms=0.0))
    with pytest.raises(CommandError, match="Over the goal: issues.kpis"):
        run("--case", "issues.kpis", "--check")
