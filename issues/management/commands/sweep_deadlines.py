from django.core.management.base import BaseCommand
from django.utils import timezone

from chainparty.dates import instant_argument
from inbox.services import send_pending_emails
from issues.sweep import sweep_deadlines


class Command(BaseCommand):
    help = "Run the deadline warnings, the escalation ladder and unrated closing as of an instant (default: now)."

    def add_arguments(self, parser):
        parser.add_argument("--at", type=instant_argument, help="ISO-8601 instant, e.g. 2026-10-09T09:00:00+08:00")

    def handle(self, *args, at=None, **options):
        instant = at or timezone.now()
        counts = sweep_deadlines(at=instant)
        emails = send_pending_emails()
        done = ", ".join(f"{kind}={n}" for kind, n in counts.items() if n) or "nothing due"
        self.stdout.write(f"Sweep as of {instant.isoformat()}: {done}; e-mails sent: {emails}")
