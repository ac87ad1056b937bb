"""Benchmark the organization import at scale (issue 7's bar: 5,000 rows in under 30 s): builds an
.xlsx of N new organizations (each covering a synthetic enterprise of `seed_demo --enterprises 40000`,
under an industry committee's organization), runs the check job and the import job in the foreground
as a worker would, times each, and deletes what it imported. Figures for docs/benchmarks.md."""

import io
import time

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from chainparty import jobs
from chainparty.models import Job, JobStatus
from chains.demo import SYNTHETIC_PREFIX
from chains.models import Enterprise
from partyorgs.excel import ORG_COLUMNS
from partyorgs.models import OrgCoverage, PartyOrganization

PREFIX = "基准导入支部"
PARENT = "中共区科技系统行业党委"


class Command(BaseCommand):
    help = "Time the check and the import of N organization rows (default 5000)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=5000)

    def handle(self, *args, rows, **options):
        staff = get_user_model().objects.filter(username="staff").first()
        if staff is None or not PartyOrganization.objects.filter(name=PARENT).exists():
            raise CommandError("run seed_demo --enterprises 40000 first")
        covered = OrgCoverage.objects.values("enterprise_id")
        free = list(
            Enterprise.objects.filter(credit_code__startswith=SYNTHETIC_PREFIX)
            .exclude(pk__in=covered)
            .order_by("credit_code")
            .values_list("credit_code", flat=True)[:rows]
        )
        if len(free) < rows:
            raise CommandError(f"only {len(free)} synthetic enterprises without an organization")
        PartyOrganization.objects.filter(name__startswith=PREFIX).delete()

        workbook = Workbook()
        sheet = workbook.active
        sheet.append([str(column.header) for column in ORG_COLUMNS])
        for n, code in enumerate(free):
            sheet.append(
                [
                    f"{PREFIX}{n:05d}",
                    "党支部",
                    PARENT,
                    code,
                    "",
                    "书记",
                    3 + n % 7,
                    n % 2,
                    "否",
                    "2020-03-01",
                    "2024-03-01",
                    "",
                ]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        upload = SimpleUploadedFile("bench.xlsx", buffer.getvalue())

        # Run in the foreground, as `manage.py run_jobs` does: nothing is handed to a broker.
        jobs.enqueue = lambda name, *args: True
        began = time.perf_counter()
        check = jobs.start_import(actor=staff, name="partyorgs.organizations", file=upload)
        with CaptureQueriesContext(connection) as check_queries:
            jobs.run_job(check.pk)
        check_seconds = time.perf_counter() - began
        check.refresh_from_db()
        if check.errors:
            raise CommandError(f"the check found errors: {check.errors[:3]}")
        began = time.perf_counter()
        job = jobs.confirm_import(actor=staff, job_id=check.pk)
        with CaptureQueriesContext(connection) as import_queries:
            jobs.run_job(job.pk)
        import_seconds = time.perf_counter() - began
        job.refresh_from_db()
        if job.status != JobStatus.DONE or job.errors:
            raise CommandError(f"the import did not finish cleanly: {job.status} {job.errors[:3]}")
        self.stdout.write(f"{rows} rows; file {len(buffer.getvalue()) // 1024} KiB")
        self.stdout.write(
            f"check job (read, parse, check; nothing written): {check_seconds:.1f} s, {len(check_queries)} queries"
        )
        wrote = len(import_queries)
        self.stdout.write(
            f"import job (read, check again, write in one transaction): {import_seconds:.1f} s, {wrote} queries"
        )
        self.stdout.write(f"total: {check_seconds + import_seconds:.1f} s; summary {job.summary}")
        PartyOrganization.objects.filter(name__startswith=PREFIX).delete()
        Job.objects.filter(pk__in=[check.pk, job.pk]).delete()
