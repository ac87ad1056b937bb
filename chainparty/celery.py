import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainparty.settings")

log = logging.getLogger(__name__)

app = Celery("chainparty")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue(task_name: str, *args: object) -> bool:
    """Hand a task to the broker, by name, without ever failing the request that asked for it: if
    Redis is down the work stays in the database and the next sweep (beat, or the command) picks it
    up. By name, so that the module asking for the work need not import the task's module."""
    try:
        with app.producer_or_acquire() as producer:
            # Connect with no retry: kombu's default retries for broker_connection_timeout (about 6 s
            # with Redis down), which every request that writes a notification would wait out.
            producer.connection.ensure_connection(max_retries=0)
            app.send_task(task_name, args=args, producer=producer, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure means "later", never "lost"
        log.warning("broker unavailable; %s left for the next sweep", task_name, exc_info=True)
        return False
    return True
