from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from chainparty.schedules import SCHEDULES


class Command(BaseCommand):
    help = "Write the periodic jobs of chainparty.schedules into the beat tables (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        for item in SCHEDULES:
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=item.minute,
                hour=item.hour,
                day_of_week=item.day_of_week,
                day_of_month=item.day_of_month,
                month_of_year=item.month_of_year,
                timezone="Asia/Shanghai",
            )
            PeriodicTask.objects.update_or_create(
                name=item.name, defaults={"task": item.task, "crontab": crontab, "interval": None}
            )
        self.stdout.write(f"{len(SCHEDULES)} periodic jobs scheduled.")
