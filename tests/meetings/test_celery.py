"""The meetings' jobs on a real Celery worker and in beat's tables (design §4.7: "at the start of each
quarter Celery beat creates ..."). The worker is a subprocess on a queue of its own, against the test
database; it runs with the real clock, so it schedules the current quarter."""

import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask
from kombu import pools

from chainparty.celery import app
from meetings.models import Meeting
from meetings.quarters import quarter_of
from meetings.tasks import schedule_quarterly_meetings_task, send_meeting_reminders_task
from tests.concurrency import wait_until
from tests.issues.test_celery import celery_worker


@pytest.mark.django_db
def test_setup_schedules_puts_both_meeting_jobs_in_beat():
    call_command("setup_schedules", stdout=StringIO())
    tasks = dict(PeriodicTask.objects.values_list("task", "crontab__minute"))
    assert tasks["meetings.tasks.schedule_quarterly_meetings_task"] == "5"
    assert tasks["meetings.tasks.send_meeting_reminders_task"] == "*/15"
    call_command("setup_schedules", stdout=StringIO())  # again: nothing doubled
    assert PeriodicTask.objects.filter(task__startswith="meetings.").count() == 2


@pytest.fixture
def fresh_broker_pools():
    """kombu keeps one connection pool per broker URL for the process; the Redis-outage tests close
    this URL's (tests/issues/test_celery.py), so the task is sent through new ones."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_broker_pools")
def test_a_real_worker_schedules_the_quarter_once(chains, calendar_2026, tmp_path):
    queue = f"meetings-test-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    with celery_worker(queue, log) as worker:
        schedule_quarterly_meetings_task.apply_async(queue=queue)
        schedule_quarterly_meetings_task.apply_async(queue=queue)  # beat firing twice
        send_meeting_reminders_task.apply_async(queue=queue)

        def done():
            assert worker.poll() is None, log.read_text()
            return log.read_text().count("succeeded") >= 3

        wait_until(done, timeout=90, what="the worker to run the three tasks")
    output = log.read_text()
    assert "Task meetings.tasks.schedule_quarterly_meetings_task[" in output, output
    assert "succeeded in" in output
    assert sorted(Meeting.objects.values_list("chain__code", "quarter")) == [
        ("chain-a", str(quarter_of())),
        ("chain-b", str(quarter_of())),
    ]
