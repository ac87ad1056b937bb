"""`manage.py seed_demo [--enterprises N] [--reset-passwords] [--force]`: the demo world of every app.

It lives in the project package because it calls into each app's demo module — chains.demo, then
secretaries.demo and issues.demo, which build on it, then meetings.demo — and chains may not import
issues. Idempotent: a second run with the same arguments writes nothing. `--enterprises N` tops the
registry up to N enterprises (synthetic SMEs) for load and benchmark work.

It refuses a database that holds real accounts (some user, no demo account: a production or staging
database someone pointed it at by mistake) unless told `--force`: the demo's well-known passwords must
never arrive there unnoticed.
"""

import argparse
import time
import unicodedata

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from chainparty.demo import SeedError
from chains import demo
from chains.demo_data import DEMO_ACCOUNTS, DEMO_PASSWORD
from issues.demo import seed_issue_demo
from issues.demo_data import YEAR_ISSUES
from meetings.demo import seed_meeting_demo
from partyorgs.demo import scale_partyorgs, seed_partyorgs_demo, send_due_term_reminders
from secretaries.demo import seed_secretaries_demo


def _width(text: str) -> int:
    # A Chinese character takes two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _non_negative(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"N must be a whole number, 0 or more (got {value!r})")
    return number


def _holds_real_accounts() -> bool:
    """Some non-superuser account, and none of the demo's: a database that was never seeded."""
    demo_names = [account.username for account in DEMO_ACCOUNTS]
    if User.objects.filter(username__in=demo_names).exists():
        return False
    return User.objects.filter(is_superuser=False).exists()


class Command(BaseCommand):
    help = "Load the demo data (idempotent). --enterprises N scales the registry up to N enterprises."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enterprises",
            type=_non_negative,
            default=None,
            metavar="N",
            help="top the registry up to N enterprises in total with synthetic SMEs (e.g. 40000)",
        )
        parser.add_argument(
            "--issues",
            type=_non_negative,
            default=None,
            metavar="N",
            help=f"the issues of the demo's year, topped up to N (default {YEAR_ISSUES}; e.g. 200000 for load work)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="seed even a database that holds accounts other than the demo's (never in production)",
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help=f"set existing demo accounts' passwords back to {DEMO_PASSWORD} and lift lockouts",
        )

    def handle(self, *args, enterprises=None, issues=None, reset_passwords=False, force=False, **options):
        if not force and _holds_real_accounts():
            raise CommandError(
                "This database holds accounts that are not the demo's, and no demo account: it looks like a "
                "real one. Seeding it would add demo accounts with a published password. "
                "Run with --force only if you are sure."
            )
        started = time.monotonic()
        try:
            created = demo.seed_demo_data(reset_passwords=reset_passwords)
            # The cadre pool, postings and work logs name the chains demo's people and places.
            created += seed_secretaries_demo()
            if enterprises is not None:
                # Before the issues: the year's issues come from every enterprise on a chain.
                created += demo.scale_enterprises(total=enterprises)
            # The issue tickets' demo (categories, routing rules, the curated issues through the
            # services, then a year of issues in bulk by the same rules) builds on it.
            created += seed_issue_demo(year_issues=YEAR_ISSUES if issues is None else issues)
            # Party organizations, their coverage and the enterprises' party members.
            created += seed_partyorgs_demo()
            # The quarterly meetings (on the chains and issues demos): last quarter held, this quarter planned.
            created += seed_meeting_demo()
            if enterprises is not None:
                created += scale_partyorgs()
            # Last, over every organization written above: the term reminders due today.
            created += send_due_term_reminders()
        except ValidationError as exc:
            # The demo password failing a validator, or a demo row a service's rule refuses.
            raise CommandError(f"The demo data cannot be written: {' '.join(exc.messages)}") from exc
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started

        if created:
            for label, count in sorted(created.items()):
                self.stdout.write(
                    f"  {label}: {count} created" if label != "passwords reset" else f"  {label}: {count}"
                )
        else:
            self.stdout.write("Nothing to do: the demo data is already in place.")
        self.stdout.write(f"Done in {elapsed:.1f} s.")
        self._print_accounts()

    def _print_accounts(self) -> None:
        rows = [("username", "role", "password")] + [
            (a.username, f"{a.role.label} ({a.role.value})", DEMO_PASSWORD) for a in DEMO_ACCOUNTS
        ]
        widths = [max(_width(row[column]) for row in rows) for column in range(2)]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo accounts"))
        for username, role, password in rows:
            self.stdout.write(f"  {_pad(username, widths[0])}  {_pad(role, widths[1])}  {password}")
        self.stdout.write("")
        self.stdout.write("Open http://127.0.0.1:8000/ and log in. staff, security and auditor also reach /admin/.")
