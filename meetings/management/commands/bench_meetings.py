"""`manage.py bench_meetings [--quarters N] [--requests R]`: the meetings benchmark (figures in
docs/benchmarks.md). On top of `seed_demo` (and, for a realistic agenda, `bench_issues`):

- the quarterly scheduler for the N quarters before this one, then for the next one (first run:
  creates, invites, builds each agenda from the chain's issues; second run: nothing to do), wall time
  and query count;
- the reminder sweep (the agendas of the meetings not yet held refreshed from the issues), twice;
- the meeting list API and page for the demo chain leader, and the biggest meeting's page and agenda
  API for district staff, in-process (chainparty.bench.time_get): query count and median latency.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from chainparty.bench import time_get
from meetings.models import Meeting
from meetings.quarters import quarter_of
from meetings.sweep import schedule_quarterly_meetings, send_meeting_reminders


class Command(BaseCommand):
    help = "Schedule N past quarters and this one, run the reminders, and time the meeting pages and API."

    def add_arguments(self, parser):
        parser.add_argument("--quarters", type=int, default=40)
        parser.add_argument("--requests", type=int, default=21)

    def handle(self, *args, quarters, requests, **options):
        staff = User.objects.filter(username="staff").first()
        leader = User.objects.filter(username="leader").first()
        if staff is None or leader is None or quarters < 0 or requests < 1:
            raise CommandError("Run `manage.py seed_demo` first; --quarters 0 or more, --requests 1 or more.")
        quarter = quarter_of()
        past = []
        for _ in range(quarters):
            quarter = quarter.previous()
            past.append(quarter)
        started = time.perf_counter()
        created = sum(len(schedule_quarterly_meetings(quarter=q)) for q in past)
        self.stdout.write(f"{quarters} past quarters: {created} meetings in {time.perf_counter() - started:.1f} s")
        # The next quarter: seed_demo has scheduled this one already.
        upcoming = quarter_of().next()
        for label in (f"scheduler, {upcoming} (first run)", f"scheduler, {upcoming} (second run)"):
            self._measure(label, lambda: len(schedule_quarterly_meetings(quarter=upcoming)))
        for label in ("reminder sweep (first)", "reminder sweep (second)"):
            self._measure(label, send_meeting_reminders)
        biggest = Meeting.objects.annotate(items=Count("agenda_items")).order_by("-items", "-starts_at").first()
        self.stdout.write(
            f"{Meeting.objects.count()} meetings; the biggest agenda: {biggest.items if biggest else 0} items "
            f"({biggest.title if biggest else '—'})"
        )
        api = APIClient()
        api.force_authenticate(leader)
        self.stdout.write(time_get(api, "/api/v1/meetings/", requests).line())
        page = Client()
        page.force_login(leader)
        self.stdout.write(time_get(page, "/meetings/", requests).line())
        if biggest is not None:
            page.force_login(staff)
            self.stdout.write(time_get(page, f"/meetings/{biggest.pk}/", requests).line())
            api.force_authenticate(staff)
            self.stdout.write(time_get(api, f"/api/v1/meetings/{biggest.pk}/agenda/", requests).line())

    def _measure(self, label, run):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = run()
            elapsed = (time.perf_counter() - started) * 1000
        self.stdout.write(f"{label}: {elapsed:.0f} ms, {len(queries)} queries; {result}")
