from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from chainparty.dates import parse_instant
from inbox.services import send_pending_emails
from secretaries.sweep import remind_postings


class Command(BaseCommand):
    help = "Send the end-of-term reminders (30 and 7 days before a posting ends) due as of an instant (default: now)."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="ISO-8601 instant, e.g. 2026-12-01T09:00:00+08:00")

    def handle(self, *args, at=None, **options):
        instant = timezone.now()
        if at:
            instant = parse_instant(at)
            if instant is None:
                raise CommandError(f"--at: not an ISO-8601 date-time: {at!r}")
        counts = remind_postings(at=instant)
        emails = send_pending_emails()
        done = ", ".join(f"{kind}={n}" for kind, n in counts.items() if n) or "nothing due"
        self.stdout.write(f"Posting reminders as of {instant.isoformat()}: {done}; e-mails sent: {emails}")
