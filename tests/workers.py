"""Processes a test starts beside itself: a real Celery worker, or a command, pointed at
pytest-django's test database (the tests that use them run with `django_db(transaction=True)`, so
that the other process sees the rows they commit)."""

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
CELERY = Path(sys.executable).with_name("celery")


def subprocess_env(**extra) -> dict:
    """The environment of a worker or command run in another process: it must see the rows this test
    commits, so it points at pytest-django's test database."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "chainparty.test_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        **extra,
    }


@contextmanager
def celery_worker(queue: str, log: Path, *, app: str = "chainparty", **env: str):
    """A worker (solo pool) on a queue of its own; `app` names the Celery app module (a test's own
    may register test-only jobs before the project's app loads); `env` adds to its environment."""
    env = subprocess_env(CELERY_QUEUE=queue, **env)
    output = log.open("w")  # a file, not a pipe: a full pipe would block the worker
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [str(CELERY), "-A", app, "worker", "--pool", "solo", "--concurrency", "1", "-Q", queue]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # warm shutdown
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        output.close()
        # Drop what the worker queued for the default queue (the mail task) on our Redis database.
        redis.Redis.from_url(settings.REDIS_URL).delete(
            queue,
            f"_kombu.binding.{queue}",
            f"_kombu.binding_permanent.{queue}",
            settings.CELERY_TASK_DEFAULT_QUEUE,
        )
