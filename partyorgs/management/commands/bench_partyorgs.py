"""Benchmark coverage and the tree at the seed's scale (seed first with `seed_demo --enterprises
40000`): coverage_for_user for the whole district against the bare-SQL aggregates that give the same
numbers (the floor), tree descendants (one recursive CTE) against a bare count of the same walk, and
the pages and API lists. Figures for docs/benchmarks.md."""

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from chainparty.bench import time_get
from chains.models import Enterprise
from partyorgs import tree
from partyorgs.compliance import Quarter
from partyorgs.demo_data import TWO_NEW_COMMITTEE_ORG
from partyorgs.models import OrgCoverage, OrgMeeting, PartyOrganization
from partyorgs.selectors import coverage_for_user, meeting_compliance_for_user
from secretaries.models import Posting, PostingKind, PostingStatus

URLS = (
    "/party-orgs/meetings/",
    "/party-orgs/plans/",
    "/party-orgs/coverage/",
    "/api/v1/coverage/",
    "/party-orgs/",
    "/party-orgs/?q=科技",
    "/api/v1/party-organizations/",
    "/party-orgs/should-establish/",
)


def _timed(call, runs: int) -> tuple[float, float, float, object]:
    result = call()  # warm-up
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        result = call()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings), min(timings), max(timings), result


def _floor_sql() -> tuple[str, str]:
    """The bare aggregate: each enterprise once with two flags, grouped as asked."""
    e, m = Enterprise._meta.db_table, "chains_chainmembership"
    oc, p = OrgCoverage._meta.db_table, Posting._meta.db_table
    flags = (
        f"SELECT e.id, e.park_id, (o.enterprise_id IS NOT NULL) AS org, "
        f"(o.enterprise_id IS NULL AND w.enterprise_id IS NOT NULL) AS work FROM {e} e "
        f"LEFT JOIN (SELECT DISTINCT enterprise_id FROM {oc}) o ON o.enterprise_id = e.id "
        f"LEFT JOIN (SELECT DISTINCT enterprise_id FROM {p} WHERE status = %s AND kind IN (%s, %s) "
        f"AND start_date <= %s AND (end_date IS NULL OR end_date >= %s)) w ON w.enterprise_id = e.id"
    )
    return flags, m


def floor(day) -> dict:
    flags, m = _floor_sql()
    params = [PostingStatus.ACTIVE, PostingKind.FIRST_SECRETARY, PostingKind.INSTRUCTOR, day, day]
    agg = "COUNT(*), COUNT(*) FILTER (WHERE f.org), COUNT(*) FILTER (WHERE f.work)"
    out = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {agg} FROM ({flags}) f", params)
        out["district"] = cursor.fetchone()
        cursor.execute(
            f"SELECT x.chain_id, {agg} FROM ({flags}) f JOIN {m} x ON x.enterprise_id = f.id GROUP BY 1", params
        )
        out["chains"] = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute(f"SELECT f.park_id, {agg} FROM ({flags}) f WHERE f.park_id IS NOT NULL GROUP BY 1", params)
        out["parks"] = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute(
            f"SELECT x.segment_id, {agg} FROM ({flags}) f JOIN {m} x ON x.enterprise_id = f.id GROUP BY 1", params
        )
        out["segments"] = {row[0]: row[1:] for row in cursor.fetchall()}
    return out


def floor_descendants(root_id: int) -> int:
    table = PartyOrganization._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE t(id) AS (SELECT id FROM {table} WHERE parent_id = %s "
            f"UNION ALL SELECT o.id FROM {table} o JOIN t ON o.parent_id = t.id) SELECT COUNT(*) FROM t",
            [root_id],
        )
        return cursor.fetchone()[0]


class Command(BaseCommand):
    help = "Time coverage and the organization tree against their bare-SQL floors, and the pages."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=11)
        parser.add_argument("--requests", type=int, default=11)

    def handle(self, *args, runs, requests, **options):
        if connection.vendor != "postgresql":
            raise CommandError("the floor queries are PostgreSQL's (FILTER); run against PostgreSQL")
        staff = get_user_model().objects.filter(username="staff").first()
        root = PartyOrganization.objects.filter(name=TWO_NEW_COMMITTEE_ORG).first()
        if staff is None or root is None:
            raise CommandError("run seed_demo --enterprises 40000 first")
        day = timezone.localdate()
        self.stdout.write(
            f"{Enterprise.objects.count()} enterprises, {PartyOrganization.objects.count()} organizations, "
            f"{OrgCoverage.objects.count()} coverage rows, {Posting.objects.count()} postings"
        )

        with CaptureQueriesContext(connection) as queries:
            coverage_for_user(staff, on=day)
        median, low, high, coverage = _timed(lambda: coverage_for_user(staff, on=day), runs)
        self.stdout.write(
            f"coverage_for_user(staff): {len(queries)} queries; median {median:.1f} ms, min {low:.1f}, max {high:.1f}"
        )
        f_median, f_low, f_high, bare = _timed(lambda: floor(day), runs)
        self.stdout.write(f"floor (4 bare aggregates): median {f_median:.1f} ms, min {f_low:.1f}, max {f_high:.1f}")
        self.stdout.write(f"ratio: {median / f_median:.2f}x")
        d = coverage.district
        same = (
            bare["district"] == (d.enterprises, d.organization, d.work)
            and all(
                bare["chains"].get(row.id, (0, 0, 0)) == (row.enterprises, row.organization, row.work)
                for row in coverage.chains
            )
            and all(bare["parks"][row.id] == (row.enterprises, row.organization, row.work) for row in coverage.parks)
            and all(
                bare["segments"][row.id] == (row.enterprises, row.organization, row.work) for row in coverage.segments
            )
        )
        self.stdout.write(
            f"district: {d.enterprises} enterprises, organization {d.organization} ({d.organization_rate}%), "
            f"work {d.work} ({d.work_rate}%); the floor gives the same numbers: {same}"
        )
        if not same:
            raise CommandError("coverage_for_user and the floor disagree")

        with CaptureQueriesContext(connection) as queries:
            tree.descendant_ids(root.pk)
        t_median, t_low, t_high, ids = _timed(lambda: tree.descendant_ids(root.pk), runs)
        b_median, b_low, b_high, count = _timed(lambda: floor_descendants(root.pk), runs)
        self.stdout.write(
            f"descendant_ids(root): {len(ids)} organizations, {len(queries)} query; median {t_median:.1f} ms "
            f"(min {t_low:.1f}, max {t_high:.1f}); floor (bare recursive count {count}): median {b_median:.1f} ms "
            f"(min {b_low:.1f}, max {b_high:.1f}); ratio {t_median / b_median:.2f}x"
        )
        r_median, r_low, r_high, _ = _timed(lambda: tree.rollups([root.pk]), runs)
        self.stdout.write(f"rollups([root]): median {r_median:.1f} ms (min {r_low:.1f}, max {r_high:.1f})")

        quarter = Quarter.of(day)
        with CaptureQueriesContext(connection) as queries:
            meeting_compliance_for_user(staff, quarter)
        m_median, m_low, m_high, result = _timed(lambda: meeting_compliance_for_user(staff, quarter), runs)
        self.stdout.write(
            f"meeting_compliance_for_user(staff, {quarter}): {len(result.by_org)} organizations, "
            f"{OrgMeeting.objects.count()} meetings, {len(queries)} queries; median {m_median:.1f} ms "
            f"(min {m_low:.1f}, max {m_high:.1f})"
        )

        page_client, api_client = Client(), APIClient()
        page_client.force_login(staff)
        api_client.force_authenticate(staff)
        for url in URLS:
            client = api_client if url.startswith("/api/") else page_client
            self.stdout.write(f"staff {time_get(client, url, requests).line()}")
