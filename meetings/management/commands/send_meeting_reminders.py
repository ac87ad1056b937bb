from django.core.management.base import BaseCommand
from django.utils import timezone

from chainparty.dates import instant_argument
from meetings.sweep import send_meeting_reminders


class Command(BaseCommand):
    help = "Send the meeting reminders due as of an instant (default: now), each once; refresh the agendas."

    def add_arguments(self, parser):
        parser.add_argument("--at", type=instant_argument, help="ISO-8601 instant, e.g. 2027-01-12T09:00:00+08:00")

    def handle(self, *args, at=None, **options):
        instant = at or timezone.now()
        counts = send_meeting_reminders(at=instant)
        done = ", ".join(f"{kind}={n}" for kind, n in counts.items() if n) or "nothing due"
        self.stdout.write(f"Meeting reminders as of {instant.isoformat()}: {done}")
