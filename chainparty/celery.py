import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainparty.settings")

log = logging.getLogger(__name__)

app = Celery("chainparty")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# The longest a publish may wait on the broker, per socket operation. A request that enqueues work
# must never hang on a broker that accepts connections but does not answer (a frozen Redis): the
# work is in the database already, and the next sweep hands it over again.
PUBLISH_TIMEOUT = 1.0


def enqueue(task_name: str, *args: object) -> bool:
    """Hand a task to the broker, by name, without ever failing the request that asked for it: if
    Redis is down or frozen the work stays in the database and the next sweep (beat, or the command)
    picks it up. By name, so that the module asking for the work need not import the task's module.

    Its own connection, with connect and socket timeouts (the worker's connection keeps the default
    ones: its blocking reads must not time out)."""
    options = {"socket_timeout": PUBLISH_TIMEOUT, "socket_connect_timeout": PUBLISH_TIMEOUT}
    try:
        with app.connection_for_write(connect_timeout=PUBLISH_TIMEOUT, transport_options=options) as connection:
            # Connect with no retry: kombu's default retries for broker_connection_timeout (about 6 s
            # with Redis down), which every request that writes a notification would wait out.
            connection.ensure_connection(max_retries=0)
            app.send_task(task_name, args=args, connection=connection, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure means "later", never "lost"
        log.warning("broker unavailable; %s left for the next sweep", task_name, exc_info=True)
        return False
    return True
