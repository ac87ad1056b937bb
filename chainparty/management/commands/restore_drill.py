import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chainparty import backups


class Command(BaseCommand):
    help = (
        "Restore a dump (the newest in --folder unless named) into a scratch database, check its checksum, "
        "migrations, audit triggers and row counts, drop it again; prints the report. Monthly; see docs/security.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", nargs="?", type=Path)
        parser.add_argument("--folder", type=Path, default=Path("var/backups"))
        parser.add_argument("--keep", action="store_true", help="leave the scratch database for inspection")

    def handle(self, *args, **options):
        try:
            dump_file = options["dump"] or backups.latest(options["folder"])
            report = backups.restore_drill(dump_file=dump_file, keep=options["keep"])
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps({"dump": str(dump_file), **report}, ensure_ascii=False, indent=2))
        if not report["ok"]:
            raise CommandError("the restored database is not usable: see the report above")
