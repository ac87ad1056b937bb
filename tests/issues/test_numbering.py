"""Issue numbers (LZ-YYYY-NNNNNN): unique and gap-tolerant under concurrent submission, the year read in
Asia/Shanghai; and the Idempotency-Key: a retried submission returns the same issue, also when the two
attempts race."""

import re
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction

from inbox.models import Notification
from issues import services
from issues.models import Issue, IssueEvent
from tests.concurrency import backends_waiting_on_a_lock

SH = ZoneInfo("Asia/Shanghai")
NUMBER = re.compile(r"^LZ-(\d{4})-(\d{6,})$")


def submit(world, key=None, actor=None, title="用地审批"):
    return services.submit_issue(
        actor=actor or world.contact_a,
        enterprise_id=world.ent_a1.pk,
        category_code="request",
        title=title,
        description="厂房扩建用地审批",
        idempotency_key=key,
    )


@pytest.mark.django_db
def test_the_number_has_the_year_and_six_digits(world, categories, calendar_2026):
    issue = submit(world)
    match = NUMBER.match(issue.number)
    assert match, issue.number
    assert int(match.group(2)) == issue.pk
    assert Issue.objects.get(pk=issue.pk).number == issue.number


@pytest.mark.django_db
def test_the_year_is_the_local_year_in_shanghai(world, categories, calendar_2026):
    # 2026-12-31 16:30 UTC is already New Year's Day in Shanghai.
    with time_machine.travel(datetime(2026, 12, 31, 23, 30, tzinfo=SH), tick=False):
        before = submit(world)
    with time_machine.travel(datetime(2027, 1, 1, 0, 30, tzinfo=SH), tick=False):
        after = submit(world)
    assert before.number.startswith("LZ-2026-")
    assert after.number.startswith("LZ-2027-")


@pytest.mark.django_db
def test_a_retry_with_the_same_key_returns_the_same_issue(world, categories, calendar_2026):
    first = submit(world, key="9b1c0a4e-retry")
    again = submit(world, key="9b1c0a4e-retry", title="重试时的标题不同")
    assert again.pk == first.pk and again.number == first.number
    assert Issue.objects.count() == 1
    assert IssueEvent.objects.filter(action="submit").count() == 1
    # The key belongs to the person who sent it: another submitter's same key is another issue.
    other = submit(world, key="9b1c0a4e-retry", actor=world.secretary_a)
    assert other.pk != first.pk
    assert submit(world).pk not in (first.pk, other.pk)


@pytest.mark.django_db(transaction=True)
def test_numbers_are_unique_under_concurrent_submission(world, categories, calendar_2026):
    threads_n, each = 6, 5
    start = threading.Barrier(threads_n)
    numbers, errors = [], []

    def run(worker):
        try:
            start.wait(timeout=10)
            for i in range(each):
                numbers.append(submit(world, title=f"并发提交{worker}-{i}").number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive()
    assert errors == []
    assert len(numbers) == len(set(numbers)) == threads_n * each
    assert all(NUMBER.match(n) for n in numbers)
    assert sorted(Issue.objects.values_list("number", flat=True)) == sorted(numbers)


@pytest.mark.django_db(transaction=True)
def test_two_racing_submissions_with_one_key_make_one_issue(world, categories, calendar_2026):
    """The first attempt holds its new row uncommitted; the second, having found no issue with the key,
    inserts and waits on the unique index; when the first commits, the second hits the IntegrityError
    and returns the first one's issue."""
    first_inserted, release = threading.Event(), threading.Event()
    results, errors = {}, []

    def first():
        try:
            with transaction.atomic():
                results["first"] = submit(world, key="race-key")
                first_inserted.set()
                assert release.wait(timeout=30)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            first_inserted.set()
            connection.close()

    def second():
        try:
            results["second"] = submit(world, key="race-key", title="重试")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert first_inserted.wait(timeout=30)
    two = threading.Thread(target=second)
    two.start()
    deadline = time.monotonic() + 30
    while backends_waiting_on_a_lock() < 1:
        assert time.monotonic() < deadline, f"the second submission never waited: {errors}"
        time.sleep(0.02)
    release.set()
    for thread in (one, two):
        thread.join(timeout=60)
        assert not thread.is_alive()

    assert errors == []
    assert results["second"].pk == results["first"].pk
    assert results["second"].number == results["first"].number
    assert Issue.objects.filter(idempotency_key="race-key").count() == 1
    assert Issue.objects.count() == 1
    assert IssueEvent.objects.filter(action="submit").count() == 1
    assert Notification.objects.filter(recipient=world.staff).count() == 1
