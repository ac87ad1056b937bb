from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from meetings.quarters import parse_quarter
from meetings.sweep import schedule_quarterly_meetings


class Command(BaseCommand):
    help = (
        "Create the quarter's meeting for every chain on the industry-committee path that has none "
        "(idempotent), inviting its people. Default: the current quarter (Asia/Shanghai)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quarter", help="e.g. 2027Q1")

    def handle(self, *args, quarter=None, **options):
        try:
            wanted = parse_quarter(quarter) if quarter else None
        except ValidationError as exc:
            raise CommandError(f"--quarter: {' '.join(exc.messages)} (got {quarter!r})") from exc
        created = schedule_quarterly_meetings(quarter=wanted)
        if created:
            for meeting in created:
                self.stdout.write(f"  {meeting.title}: {meeting.starts_at.isoformat()}")
        self.stdout.write(f"Meetings created: {len(created)}")
