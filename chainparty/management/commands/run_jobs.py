from django.core.management.base import BaseCommand

from chainparty import jobs


class Command(BaseCommand):
    help = "Run every waiting import or export job here and now (no broker needed), then purge old ones."

    def handle(self, *args, **options):
        ran = jobs.run_pending_jobs()
        swept = jobs.requeue_jobs()
        self.stdout.write(f"ran {ran} job(s); deleted {swept['deleted']} finished long ago")
