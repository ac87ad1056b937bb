from datetime import date

from django.core.management.base import BaseCommand, CommandError

from partyorgs.sweep import sweep_term_reminders


class Command(BaseCommand):
    help = "Send the term reminders (换届提醒) due on a day (default: today, Asia/Shanghai). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="the day, YYYY-MM-DD")

    def handle(self, *args, on=None, **options):
        day = None
        if on:
            try:
                day = date.fromisoformat(on)
            except ValueError as exc:
                raise CommandError(f"--on: not a date (YYYY-MM-DD): {on!r}") from exc
        counts = sweep_term_reminders(today=day)
        done = ", ".join(f"{kind}={n}" for kind, n in counts.items() if n) or "nothing due"
        self.stdout.write(f"Term reminders{' on ' + on if on else ''}: {done}")
