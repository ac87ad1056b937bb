from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from chainparty.dates import parse_instant
from inbox.services import send_pending_emails
from issues.sweep import sweep_deadlines


class Command(BaseCommand):
    help = "Run the deadline warnings, the escalation ladder and unrated closing as of an instant (default: now)."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="ISO-8601 instant, e.g. 2026-10-09T09:00:00+08:00")

    def handle(self, *args, at=None, **options):
        instant = timezone.now()
        if at:
            instant = parse_instant(at)
            if instant is None:
                raise CommandError(f"--at: not an ISO-8601 date-time: {at!r}")
        counts = sweep_deadlines(at=instant)
        emails = send_pending_emails()
        done = ", ".join(f"{kind}={n}" for kind, n in counts.items() if n) or "nothing due"
        self.stdout.write(f"Sweep as of {instant.isoformat()}: {done}; e-mails sent: {emails}")
