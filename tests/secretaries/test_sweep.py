"""End-of-term reminders by time travel: 30 and 7 days before a posting ends, each exactly once,
to the cadre and district staff; none for a posting that ended or was evaluated; a sweep after
downtime sends what fell due; a moved end date is reminded again."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from inbox.models import Notification
from secretaries.models import Posting, PostingReminder
from secretaries.sweep import remind_postings
from tests import factories as f
from tests.clock import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def ending(posts):
    """secretary_a's posting ends on Sunday 10 January 2027."""
    Posting.objects.filter(pk=posts.posting_a.pk).update(end_date=date(2027, 1, 10))
    return posts


def told(posting):
    return sorted(
        (n.recipient.username, n.subject)
        for n in Notification.objects.filter(target_id=posting.pk).select_related("recipient")
    )


def run(month, day, year=2026):
    with time_machine.travel(at(month, day, 8, 5, year=year), tick=False):
        return remind_postings()


def test_thirty_then_seven_days_before_the_end_each_exactly_once(ending):
    posting = ending.posting_a
    assert run(12, 10)["days_30"] == 0  # 31 days ahead
    assert run(12, 11)["days_30"] == 1
    assert told(posting) == [("secretary_a", "派驻将于30天后期满：甲一企业"), ("staff", "派驻将于30天后期满：甲一企业")]
    for day in (11, 12, 20):
        assert sum(run(12, day).values()) == 0
    assert run(1, 2, year=2027)["days_7"] == 0  # 8 days ahead
    assert run(1, 3, year=2027)["days_7"] == 1
    assert sum(run(1, 3, year=2027).values()) == 0
    assert run(1, 11, year=2027) == {"days_30": 0, "days_7": 0}  # past the end
    assert Notification.objects.filter(target_id=posting.pk).count() == 4
    assert PostingReminder.objects.filter(posting=posting).count() == 2


def test_after_downtime_only_the_reminder_still_meaningful_goes_out(ending):
    # The worker was down from 30 to 7 days before the end: the 30-day one is skipped, the 7-day sent.
    assert run(1, 5, year=2027) == {"days_30": 0, "days_7": 1}
    assert Notification.objects.filter(target_id=ending.posting_a.pk).count() == 2


def test_a_posting_that_ended_or_was_evaluated_is_not_reminded(ending):
    Posting.objects.filter(pk=ending.posting_a.pk).update(status="ended", ended_on=date(2026, 12, 1))
    other = f.PostingFactory(
        cadre=f.CadreFactory(), enterprise=f.EnterpriseFactory(), end_date=date(2027, 1, 5), status="evaluated"
    )
    assert run(12, 11) == {"days_30": 0, "days_7": 0}
    assert not Notification.objects.filter(target_id__in=[ending.posting_a.pk, other.pk]).exists()


def test_a_moved_end_date_is_reminded_again(ending):
    run(12, 11)
    Posting.objects.filter(pk=ending.posting_a.pk).update(end_date=date(2027, 2, 10))
    assert run(12, 12)["days_30"] == 0
    assert run(1, 11, year=2027)["days_30"] == 1


def test_a_cadre_without_an_account_leaves_the_reminder_to_staff(ending):
    posting = f.PostingFactory(cadre=f.CadreFactory(), enterprise=f.EnterpriseFactory(), end_date=date(2026, 12, 20))
    run(12, 13)
    assert [n.recipient.username for n in Notification.objects.filter(target_id=posting.pk)] == ["staff"]


def test_the_command_runs_the_same_sweep_as_of_an_instant(ending):
    out = StringIO()
    call_command("remind_postings", "--at", "2026-12-11T08:00:00+08:00", stdout=out)
    assert "days_30=1" in out.getvalue()
    call_command("remind_postings", "--at", "2026-12-11T09:00:00+08:00", stdout=out)
    assert out.getvalue().count("days_30=1") == 1


def test_the_command_refuses_a_bad_instant(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("remind_postings", "--at", "tomorrow")


def test_beat_runs_the_reminders_daily():
    from chainparty.schedules import SCHEDULES

    [entry] = [s for s in SCHEDULES if s.task == "secretaries.tasks.remind_postings_task"]
    assert (entry.minute, entry.hour) == ("5", "8")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_remind_once(posts):
    """One run holds its reminder row uncommitted; two more wait on the unique index, then find it
    taken: the cadre and staff hear once."""
    from tests.concurrency import race_past_a_lock

    Posting.objects.filter(pk=posts.posting_a.pk).update(end_date=date(2026, 12, 20))

    def run():
        with time_machine.travel(at(12, 1, 8, 5), tick=False):
            return remind_postings()

    held, racers = race_past_a_lock(run, run, run)
    assert held["days_30"] == 1
    assert [r["days_30"] for r in racers] == [0, 0]
    assert Notification.objects.filter(target_id=posts.posting_a.pk).count() == 2
