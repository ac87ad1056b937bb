from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from workdays.services import load_official_holidays, package_years


class Command(BaseCommand):
    help = (
        "Load the statutory holidays and make-up working days (调休) from the chinesecalendar package into "
        "the working-day calendar. Safe to run again; rows entered by staff are never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--years",
            nargs="+",
            type=int,
            metavar="YEAR",
            help="Years to load (default: every year the package knows).",
        )

    def handle(self, *args, years=None, **options):
        try:
            result = load_official_holidays(years=years)
        except ValidationError as error:
            raise CommandError("; ".join(f"--{field}: {' '.join(messages)}" for field, messages in error)) from error
        covered = years or package_years()
        self.stdout.write(
            f"Calendar {min(covered)}–{max(covered)}: {result.added} added, {result.updated} updated, "
            f"{result.removed} removed, {result.manual_kept} entered by staff kept."
        )
