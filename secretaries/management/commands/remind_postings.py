from django.core.management.base import BaseCommand
from django.utils import timezone

from chainparty.dates import instant_argument
from inbox.services import send_pending_emails
from secretaries.sweep import remind_postings


class Command(BaseCommand):
    help = "Send the end-of-term reminders (30 and 7 days before a posting ends) due as of an instant (default: now)."

    def add_arguments(self, parser):
        parser.add_argument("--at", type=instant_argument, help="ISO-8601 instant, e.g. 2026-12-01T09:00:00+08:00")

    def handle(self, *args, at=None, **options):
        instant = at or timezone.now()
        counts = remind_postings(at=instant)
        emails = send_pending_emails()
        done = ", ".join(f"{kind}={n}" for kind, n in counts.items() if n) or "nothing due"
        self.stdout.write(f"Posting reminders as of {instant.isoformat()}: {done}; e-mails sent: {emails}")
