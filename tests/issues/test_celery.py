"""Celery and Redis, for real (design §4.6: "an issue is never missed because a worker or Redis was down").

- A real worker (a subprocess on a queue of its own) runs the sweep task against the test database.
- Redis down: a throwaway redis-server that the test stops and starts. Submitting and every action
  succeed while it is down, quickly; the notifications wait in the database; once Redis is back the
  sweep task sends each mail once, and a second run sends none.

The machine's main Redis (6379) is never stopped: the broker is pointed at a server of our own.
"""

import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from chainparty.celery import app, enqueue
from inbox.models import Notification
from inbox.tasks import send_pending_emails_task
from issues import services
from issues.models import AlertKind, Issue, IssueAlert, IssueEvent, Status
from issues.sweep import sweep_deadlines
from issues.tasks import sweep_deadlines_task
from tests import factories as f
from tests.clock import at
from tests.concurrency import backends_waiting_on_a_lock, wait_until
from tests.issues.builders import issue_in
from tests.workers import ROOT, celery_worker, subprocess_env

OVERDUE = at(9, 30, 9)  # an inquiry handled from then is due 9 October 2026, long overdue by now
REDIS_SERVER = "redis-server"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _reset_broker_pools():
    # Celery caches the broker connection pool and the producer pool built from broker_url.
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str):
    saved = settings.CELERY_BROKER_URL, app.conf.broker_url
    _reset_broker_pools()
    settings.CELERY_BROKER_URL = url
    app.conf.broker_url = url
    try:
        yield
    finally:
        _reset_broker_pools()
        settings.CELERY_BROKER_URL, app.conf.broker_url = saved


class RedisServer:
    """A redis-server of the test's own, on a fixed port, that can be stopped and started again."""

    def __init__(self, port: int):
        self.port = port
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [REDIS_SERVER, "--port", str(self.port), "--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        wait_until(lambda: self._pings(client), timeout=10, what=f"redis-server on port {self.port}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    @staticmethod
    def _pings(client) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False


@pytest.fixture
def throwaway_redis():
    server = RedisServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def emails(world):
    """Give everyone an address, so that every notification is also an e-mail."""
    for user in (world.staff, world.handler_a, world.contact_a, world.leader_a, world.handler_b):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_sweep_task(world, categories, calendar_2026, tmp_path):
    handler_ic = f.UserFactory(
        username="handler_ic", unit=world.ic_a, roles=[Role.UNIT_HANDLER], email="ic@example.org"
    )
    issue = issue_in(world, "in_progress", category="inquiry", at=OVERDUE)
    queue = f"issuescore-test-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    with celery_worker(queue, log) as worker:
        # The message waits in Redis until the worker is up; we poll the database for its effect.
        sweep_deadlines_task.apply_async(queue=queue)

        def escalated():
            assert worker.poll() is None, log.read_text()
            return IssueAlert.objects.filter(issue=issue, kind=AlertKind.ESCALATE_3).exists()

        wait_until(escalated, timeout=90, what="the worker to run the sweep")
        # The task sends the mail in the same run, after the sweep commits.
        note = Notification.objects.about(issue).get(recipient=handler_ic)
        wait_until(
            lambda: Notification.objects.filter(pk=note.pk, emailed_at__isnull=False).exists(),
            timeout=30,
            what="the mail to be claimed and sent",
        )
    output = log.read_text()
    assert "Task issues.tasks.sweep_deadlines_task[" in output, output
    assert "succeeded" in output, output
    issue.refresh_from_db()
    assert issue.escalation_level == 3
    assert set(IssueAlert.objects.filter(issue=issue).values_list("kind", flat=True)) == {
        AlertKind.ESCALATE_1,
        AlertKind.ESCALATE_2,
        AlertKind.ESCALATE_3,
    }
    assert Notification.objects.about(issue).filter(recipient=world.leader_a).count() == 1


@pytest.mark.django_db(transaction=True)
def test_while_redis_is_down_everything_succeeds_and_the_mail_goes_out_once_it_is_back(
    world, categories, calendar_2026, emails, throwaway_redis, api
):
    with broker_at(throwaway_redis.url):
        # Up: a message really reaches our server.
        assert enqueue(send_pending_emails_task.name) is True
        probe = redis.Redis(port=throwaway_redis.port)
        assert probe.llen(settings.CELERY_TASK_DEFAULT_QUEUE) == 1
        probe.close()

        throwaway_redis.stop()

        started = time.monotonic()
        assert enqueue(send_pending_emails_task.name) is False
        assert time.monotonic() - started < 2, "enqueue must fail fast when the broker is down"

        # Submitting (through the API) and every action (through the services the pages use) succeed.
        started = time.monotonic()
        api.force_authenticate(world.contact_a)
        response = api.post(
            "/api/v1/issues/",
            {"enterprise": world.ent_a1.pk, "category": "request", "title": "用地审批慢", "description": "三个月未批"},
            format="json",
        )
        assert response.status_code == 201, response.content
        issue_id = response.json()["id"]
        api.force_authenticate(world.staff)
        assert api.post(f"/api/v1/issues/{issue_id}/accept/", {}, format="json").status_code == 200
        services.dispatch_issue(
            issue_id=issue_id,
            actor=world.staff,
            mode="joint",
            lead_unit_id=world.dept_a.pk,
            co_unit_ids=[world.dept_b.pk],
        )
        services.sign_issue(issue_id=issue_id, actor=world.handler_a)
        services.sign_issue(issue_id=issue_id, actor=world.handler_b)
        services.reply_part(issue_id=issue_id, actor=world.handler_b, reply="同意")
        services.comment_on_issue(issue_id=issue_id, actor=world.handler_a, text="正在协调")
        services.resolve_issue(issue_id=issue_id, actor=world.handler_a, answer="已协调解决")
        # Nine writes, each asking for mail on commit: none may wait out a broker timeout.
        assert time.monotonic() - started < 10

        issue = Issue.objects.get(pk=issue_id)
        assert issue.status == Status.RESOLVED
        pending = Notification.objects.about(issue)
        # Mail goes to those with an address; the rest read it in their inbox only.
        expected = sorted(pending.exclude(recipient__email="").values_list("recipient__email", "subject"))
        assert len(expected) >= 6
        assert not pending.filter(emailed_at__isnull=False).exists()
        assert mail.outbox == []

        throwaway_redis.start()
        # Beat's job, run as the worker would run it.
        first = sweep_deadlines_task.apply().get()
        assert first["emails"] == len(expected)
        sent = sorted((message.to[0], message.subject) for message in mail.outbox)
        assert sent == expected
        assert not pending.filter(emailed_at__isnull=True).exists()

        second = sweep_deadlines_task.apply().get()
        assert second["emails"] == 0
        assert len(mail.outbox) == len(expected)
        # And the broker works again without a restart of this process.
        assert enqueue(send_pending_emails_task.name) is True


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_dies_after_connecting_still_fails_fast(world, throwaway_redis):
    with broker_at(throwaway_redis.url):
        assert enqueue(send_pending_emails_task.name) is True  # the pool now holds a live connection
        throwaway_redis.stop()
        started = time.monotonic()
        assert enqueue(send_pending_emails_task.name) is False
        assert enqueue(send_pending_emails_task.name) is False
        assert time.monotonic() - started < 2
        throwaway_redis.start()
        assert enqueue(send_pending_emails_task.name) is True


@pytest.mark.django_db(transaction=True)
def test_a_frozen_broker_leaves_a_submit_fast_and_the_mail_goes_out_once_after_it_thaws(
    world, categories, calendar_2026, emails, throwaway_redis, api
):
    """SIGSTOP, not a stop: the server still accepts connections (the kernel does) but answers
    nothing, which a plain connect-and-retry never notices."""
    with broker_at(throwaway_redis.url):
        assert enqueue(send_pending_emails_task.name) is True
        throwaway_redis.process.send_signal(signal.SIGSTOP)
        try:
            api.force_authenticate(world.contact_a)
            started = time.monotonic()
            response = api.post(
                "/api/v1/issues/",
                {"enterprise": world.ent_a1.pk, "category": "request", "title": "用地审批慢", "description": "三个月"},
                format="json",
            )
            elapsed = time.monotonic() - started
            assert response.status_code == 201, response.content
            assert elapsed < 2, f"a submit waited {elapsed:.1f} s on a frozen broker"
        finally:
            throwaway_redis.process.send_signal(signal.SIGCONT)
        issue = Issue.objects.get(pk=response.json()["id"])
        about = Notification.objects.about(issue).exclude(recipient__email="")
        assert about.exists()
        assert not about.filter(emailed_at__isnull=False).exists()
        assert mail.outbox == []
        # The sweep (which also warns staff that the issue waits) sends each mail once.
        sent = sweep_deadlines_task.apply().get()["emails"]
        assert sweep_deadlines_task.apply().get()["emails"] == 0
        assert sent == len(mail.outbox) == about.count()
        assert not about.filter(emailed_at__isnull=True).exists()
        assert enqueue(send_pending_emails_task.name) is True  # thawed: publishing works again


@pytest.mark.django_db(transaction=True)
def test_mail_already_claimed_is_not_sent_again(world, emails):
    issue_less = [
        Notification.objects.create(recipient=world.staff, subject="甲", email_due=True),
        Notification.objects.create(recipient=world.handler_a, subject="乙", email_due=True),
    ]
    # Another worker claimed the first one a moment ago.
    Notification.objects.filter(pk=issue_less[0].pk).update(emailed_at=timezone.now())
    assert send_pending_emails_task.apply().get() == 1
    assert [m.subject for m in mail.outbox] == ["乙"]
    assert send_pending_emails_task.apply().get() == 0


@pytest.mark.django_db(transaction=True)
def test_a_sweep_killed_mid_way_writes_nothing_and_the_next_one_does_it_all_once(
    world, categories, calendar_2026, tmp_path
):
    """A worker killed in the middle of the sweep (kill -9: no clean-up of any kind) leaves nothing
    half-written, because the sweep is one transaction; the next run catches up, once."""
    issue = issue_in(world, "in_progress", category="inquiry", at=OVERDUE)
    other = issue_in(world, "in_progress", category="inquiry", at=OVERDUE)
    log = (tmp_path / "sweep.log").open("w")
    with transaction.atomic():
        # Hold one issue's row against updates (not against the alerts' foreign-key checks): the sweep
        # writes its warnings and first alerts, then blocks on this row when it raises the escalation
        # level, inside its transaction, with work already written.
        Issue.objects.select_for_update(no_key=True).get(pk=issue.pk)
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [sys.executable, "manage.py", "sweep_deadlines", "--at", "2026-10-23T09:00:00+08:00"],
            cwd=ROOT,
            env=subprocess_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )

        wait_until(lambda: backends_waiting_on_a_lock() == 1, timeout=60, what="the sweep to reach the held row")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=20)
    log.close()
    assert process.returncode == -signal.SIGKILL
    # PostgreSQL rolls the dead connection's transaction back.
    wait_until(lambda: not IssueAlert.objects.exists(), timeout=5, what="the rollback")
    assert not IssueAlert.objects.exists()
    assert not IssueEvent.objects.filter(action="escalate").exists()
    assert Issue.objects.filter(escalation_level__gt=0).count() == 0

    when = at(10, 23, 9)
    counts = sweep_deadlines(at=when)
    assert counts[AlertKind.ESCALATE_3] == 2
    assert sweep_deadlines(at=when)[AlertKind.ESCALATE_3] == 0
    for each in (issue, other):
        assert IssueEvent.objects.filter(issue=each, action="escalate").count() == 3
        each.refresh_from_db()
        assert each.escalation_level == 3
