"""The end-of-term reminders on a real Celery worker and in beat's tables. The worker is a subprocess on
a queue of its own, against the test database, with the real clock."""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask
from time_machine import escape_hatch

from chainparty.dates import SHANGHAI
from inbox.models import Notification
from secretaries.models import PostingReminder
from secretaries.tasks import remind_postings_task
from tests import factories as f
from tests.concurrency import wait_until
from tests.meetings.test_celery import fresh_broker_pools  # noqa: F401 - the fixture, used below
from tests.workers import celery_worker


@pytest.mark.django_db
def test_setup_schedules_puts_the_reminders_in_beat():
    call_command("setup_schedules", stdout=StringIO())
    tasks = dict(PeriodicTask.objects.values_list("task", "crontab__hour"))
    assert tasks["secretaries.tasks.remind_postings_task"] == "8"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_broker_pools")
def test_a_real_worker_sends_a_reminder_once_when_beat_fires_twice(world, tmp_path):
    # The worker reads the real clock; this test process is on the conftest's 1 December 2026.
    real_now = escape_hatch.datetime.datetime.now(tz=SHANGHAI)
    ends = real_now.date() + timedelta(days=20)
    posting = f.PostingFactory(cadre=f.CadreFactory(), end_date=ends)
    queue = f"secretaries-test-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    with celery_worker(queue, log) as worker:
        remind_postings_task.apply_async(queue=queue)
        remind_postings_task.apply_async(queue=queue)

        def done():
            assert worker.poll() is None, log.read_text()
            return log.read_text().count("succeeded") >= 2

        wait_until(done, timeout=90, what="the worker to run both tasks")
    assert "Task secretaries.tasks.remind_postings_task[" in log.read_text()
    assert list(PostingReminder.objects.filter(posting=posting).values_list("kind", flat=True)) == ["days_30"]
    assert Notification.objects.filter(target_id=posting.pk, recipient=world.staff).count() == 1
