from django.core.management.base import BaseCommand, CommandError

from accounts import twofactor
from accounts.models import User


class Command(BaseCommand):
    help = (
        "Remove an account's authenticator and recovery codes (its owner sets up a new one at the next "
        "sign-in). For an operator when the security administrator, who does this in the admin, is the "
        "one locked out. Recorded in the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no account {options['username']!r}")
        if twofactor.reset_second_factor(user=user, actor_name="manage.py reset_second_factor"):
            self.stdout.write(f"Second factor of {user.username} reset.")
        else:
            self.stdout.write(f"{user.username} had no second factor.")
