from django.core.management.base import BaseCommand, CommandError

from accounts.services import purge_audit_trail


class Command(BaseCommand):
    help = "Delete audit entries older than --days (at least 180, MLPS 2.0 level 3); the purge itself is audited."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="keep this many days (default AUDIT_KEEP_DAYS)")

    def handle(self, *args, **options):
        from django.conf import settings

        days = options["days"] if options["days"] is not None else settings.AUDIT_KEEP_DAYS
        try:
            deleted = purge_audit_trail(keep_days=days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{deleted} audit entries older than {days} days deleted.")
