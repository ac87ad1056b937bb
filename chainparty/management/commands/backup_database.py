from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chainparty import backups


class Command(BaseCommand):
    help = (
        "pg_dump the database (custom format, with a .sha256) into --folder and delete dumps older than "
        "--keep-days. Nightly from cron; see docs/security.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--folder", type=Path, default=Path("var/backups"))
        parser.add_argument("--keep-days", type=int, default=30)

    def handle(self, *args, **options):
        try:
            path = backups.dump(folder=options["folder"], keep_days=options["keep_days"])
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
