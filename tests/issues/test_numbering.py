"""Issue numbers (LZ-YYYY-NNNNNN): unique and gap-tolerant under concurrent submission, the year read in
Asia/Shanghai; and the Idempotency-Key: a retried submission returns the same issue, also when the two
attempts race."""

import re
from functools import partial

import pytest

from inbox.models import Notification
from issues.models import Issue, IssueEvent
from tests.clock import at
from tests.concurrency import in_threads, race_past_a_lock
from tests.issues.builders import issue_in

NUMBER = re.compile(r"^LZ-(\d{4})-(\d{6,})$")


@pytest.mark.django_db
def test_the_number_has_the_year_and_six_digits(world, categories, calendar_2026):
    issue = issue_in(world)
    match = NUMBER.match(issue.number)
    assert match, issue.number
    assert int(match.group(2)) == issue.pk
    assert Issue.objects.get(pk=issue.pk).number == issue.number


@pytest.mark.django_db
def test_the_year_is_the_local_year_in_shanghai(world, categories, calendar_2026):
    # 2026-12-31 16:30 UTC is already New Year's Day in Shanghai.
    before = issue_in(world, at=at(12, 31, 23, 30))
    after = issue_in(world, at=at(1, 1, 0, 30, year=2027))
    assert before.number.startswith("LZ-2026-")
    assert after.number.startswith("LZ-2027-")


@pytest.mark.django_db
def test_a_retry_with_the_same_key_returns_the_same_issue(world, categories, calendar_2026):
    first = issue_in(world, idempotency_key="9b1c0a4e-retry")
    again = issue_in(world, idempotency_key="9b1c0a4e-retry")
    assert again.pk == first.pk
    assert again.number == first.number
    assert Issue.objects.count() == 1
    assert IssueEvent.objects.filter(action="submit").count() == 1
    # The key belongs to the person who sent it: another submitter's same key is another issue.
    other = issue_in(world, idempotency_key="9b1c0a4e-retry", by=world.secretary_a)
    assert other.pk != first.pk
    assert issue_in(world).pk not in (first.pk, other.pk)


@pytest.mark.django_db(transaction=True)
def test_numbers_are_unique_under_concurrent_submission(world, categories, calendar_2026):
    threads_n, each = 6, 5

    def submit_several(worker):
        return [issue_in(world, title=f"并发提交{worker}-{i}").number for i in range(each)]

    batches = in_threads(*[partial(submit_several, worker) for worker in range(threads_n)])
    numbers = [number for batch in batches for number in batch]
    assert len(numbers) == len(set(numbers)) == threads_n * each
    assert all(NUMBER.match(n) for n in numbers)
    assert sorted(Issue.objects.values_list("number", flat=True)) == sorted(numbers)


@pytest.mark.django_db(transaction=True)
def test_two_racing_submissions_with_one_key_make_one_issue(world, categories, calendar_2026):
    """The first attempt holds its new row uncommitted; the second, having found no issue with the key,
    inserts and waits on the unique index; when the first commits, the second hits the IntegrityError
    and returns the first one's issue."""
    first, (second,) = race_past_a_lock(
        lambda: issue_in(world, idempotency_key="race-key"),
        lambda: issue_in(world, idempotency_key="race-key"),
    )
    assert second.pk == first.pk
    assert second.number == first.number
    assert Issue.objects.filter(idempotency_key="race-key").count() == 1
    assert Issue.objects.count() == 1
    assert IssueEvent.objects.filter(action="submit").count() == 1
    assert Notification.objects.filter(recipient=world.staff).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_racing_submission_with_the_key_but_another_request_is_refused(world, categories, calendar_2026):
    from chainparty.errors import IdempotencyKeyReused

    first, (second,) = race_past_a_lock(
        lambda: issue_in(world, idempotency_key="race-key-2"),
        lambda: _refused(lambda: issue_in(world, idempotency_key="race-key-2", title="另一件"), IdempotencyKeyReused),
    )
    assert isinstance(second, IdempotencyKeyReused)
    assert Issue.objects.count() == 1
    assert Issue.objects.get().pk == first.pk


def _refused(call, exception):
    try:
        call()
    except exception as exc:
        return exc
    raise AssertionError("not refused")
