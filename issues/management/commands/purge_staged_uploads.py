from django.core.management.base import BaseCommand
from django.utils import timezone

from chainparty.dates import instant_argument
from issues.services.uploads import STAGED_KEEP, purge_staged_uploads


class Command(BaseCommand):
    help = f"Delete the files kept from refused issue submissions older than {STAGED_KEEP} (default: as of now)."

    def add_arguments(self, parser):
        parser.add_argument("--at", type=instant_argument, help="ISO-8601 instant, e.g. 2026-10-09T09:00:00+08:00")

    def handle(self, *args, at=None, **options):
        instant = at or timezone.now()
        purged = purge_staged_uploads(now=instant)
        self.stdout.write(f"Staged uploads purged as of {instant.isoformat()}: {purged}")
