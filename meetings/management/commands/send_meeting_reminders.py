from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from chainparty.dates import parse_instant
from meetings.sweep import send_meeting_reminders


class Command(BaseCommand):
    help = "Send the meeting reminders due as of an instant (default: now), each once; refresh the agendas."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="ISO-8601 instant, e.g. 2027-01-12T09:00:00+08:00")

    def handle(self, *args, at=None, **options):
        instant = parse_instant(at) if at else timezone.now()
        if instant is None:
            raise CommandError(f"--at: not an ISO-8601 date-time: {at!r}")
        counts = send_meeting_reminders(at=instant)
        done = ", ".join(f"{kind}={n}" for kind, n in counts.items() if n) or "nothing due"
        self.stdout.write(f"Meeting reminders as of {instant.isoformat()}: {done}")
