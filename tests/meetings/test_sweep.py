"""The quarterly scheduler and the reminders (design §4.7): exactly once under re-runs and two
concurrent runs, catch-up after a missed quarter start, reminders by time travel, each once."""

from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Count

from inbox.models import Notification
from meetings import services
from meetings.models import InviteeRole, Meeting, MeetingInvitee, MeetingReminder, ReminderKind, Status
from meetings.quarters import Quarter
from meetings.sweep import proposed_start, schedule_quarterly_meetings, send_meeting_reminders
from tests.clock import at, end_of
from tests.concurrency import race_past_a_lock


def told(meeting, contains=""):
    return sorted(
        Notification.objects.about(meeting)
        .filter(subject__contains=contains)
        .values_list("recipient__username", flat=True)
    )


@pytest.mark.django_db
class TestScheduling:
    def test_one_meeting_per_chain_on_the_industry_committee_path_with_its_invitees(self, meetings_world):
        w = meetings_world
        created = schedule_quarterly_meetings(at=at(10, 1, 6))
        assert sorted(m.chain.code for m in created) == ["chain-a", "chain-b"]
        meeting = Meeting.objects.get(chain=w.chain_a, quarter="2026Q4")
        assert meeting.status == Status.PLANNED
        assert meeting.kinds == ["special", "strategic", "joint"]
        # The 10th working day of 2026Q4 (National Day week off, Sat 10 October worked): Tue 20 October.
        assert meeting.starts_at == at(10, 20, 14, 30)
        assert meeting.remind_at == at(10, 15, 9)  # 3 working days before, at 09:00
        assert meeting.minutes_due_at == end_of(10, 27)  # 5 working days after
        invitees = set(
            MeetingInvitee.objects.filter(meeting=meeting).values_list("role", "user__username", "unit__name")
        )
        assert invitees == {
            (InviteeRole.LEADER, "leader_a", None),
            (InviteeRole.LEAD_UNIT, None, "经济部门A"),
            (InviteeRole.COOPERATING_UNIT, None, "镇街C"),
            (InviteeRole.INDUSTRY_COMMITTEE, None, "行业党委A"),
        }
        # The chain leader and the handlers of the invited units; nobody of chain_b.
        assert told(meeting, "Invitation") == ["handler_a", "handler_ic", "handler_town", "leader_a"]

    def test_a_second_run_creates_nothing_and_tells_nobody_again(self, meetings_world):
        schedule_quarterly_meetings(at=at(10, 1, 6))
        notes = Notification.objects.count()
        assert schedule_quarterly_meetings(at=at(10, 1, 7)) == []
        assert schedule_quarterly_meetings(at=at(10, 2, 6)) == []
        assert Meeting.objects.count() == 2
        assert MeetingInvitee.objects.count() == 4 + 2
        assert Notification.objects.count() == notes

    def test_a_chain_put_on_the_path_later_gets_its_meeting_on_the_next_run(self, meetings_world):
        w = meetings_world
        w.chain_b.path_industry_committee = False
        w.chain_b.save()
        assert [m.chain_id for m in schedule_quarterly_meetings(at=at(10, 1, 6))] == [w.chain_a.pk]
        w.chain_b.path_industry_committee = True
        w.chain_b.save()
        assert [m.chain_id for m in schedule_quarterly_meetings(at=at(10, 2, 6))] == [w.chain_b.pk]

    def test_after_a_missed_quarter_start_the_next_run_catches_up_with_a_date_ahead(self, meetings_world):
        # Beat was down from 1 October to 19 October: the run of the 19th creates the quarter's meetings,
        # proposing a date far enough ahead to remind the invitees (3 working days + 1).
        created = schedule_quarterly_meetings(at=at(10, 19, 11))
        assert len(created) == 2
        assert {m.starts_at for m in created} == {at(10, 23, 14, 30)}
        assert Meeting.objects.filter(quarter="2026Q4").count() == 2

    def test_a_run_at_the_very_end_of_the_quarter_keeps_the_date_inside_it(self, meetings_world):
        created = schedule_quarterly_meetings(at=at(12, 30, 9))
        assert {m.starts_at for m in created} == {at(12, 31, 14, 30)}
        assert {m.quarter for m in created} == {"2026Q4"}

    def test_the_next_quarter_is_a_new_meeting(self, meetings_world):
        schedule_quarterly_meetings(at=at(10, 1, 6))
        created = schedule_quarterly_meetings(at=at(1, 4, 6, year=2027))
        assert {m.quarter for m in created} == {"2027Q1"}
        assert Meeting.objects.count() == 4

    def test_the_proposed_date_of_a_past_quarter_is_its_tenth_working_day(self, meetings_world):
        assert proposed_start(Quarter(2026, 3), at(10, 1)).date().isoformat() == "2026-07-14"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_create_each_meeting_once(meetings_world):
    """One run holds its inserted rows uncommitted; two more start and wait on the unique index; once
    the first commits, neither adds a meeting, an invitee or an invitation."""
    run = lambda: schedule_quarterly_meetings(at=at(10, 1, 6))  # noqa: E731
    held, racers = race_past_a_lock(run, run, run)
    assert len(held) == 2
    assert racers == [[], []]
    assert Meeting.objects.count() == 2
    per_pair = Meeting.objects.values("chain", "quarter").annotate(n=Count("id"))
    assert {row["n"] for row in per_pair} == {1}
    assert MeetingInvitee.objects.count() == 6
    per_note = Notification.objects.values("recipient", "target_id").annotate(n=Count("id"))
    assert {row["n"] for row in per_note} == {1}


@pytest.mark.django_db
class TestCommand:
    def test_the_command_schedules_the_quarter_given(self, meetings_world):
        out = StringIO()
        call_command("schedule_quarterly_meetings", "--quarter", "2027q1", stdout=out)
        assert "Meetings created: 2" in out.getvalue()
        assert set(Meeting.objects.values_list("quarter", flat=True)) == {"2027Q1"}
        out = StringIO()
        call_command("schedule_quarterly_meetings", "--quarter", "2027Q1", stdout=out)
        assert "Meetings created: 0" in out.getvalue()

    def test_a_malformed_quarter_is_refused(self, db):
        with pytest.raises(CommandError, match="--quarter"):
            call_command("schedule_quarterly_meetings", "--quarter", "2027-1")


@pytest.fixture
def planned(meetings_world):
    schedule_quarterly_meetings(at=at(10, 1, 6))
    return Meeting.objects.get(chain=meetings_world.chain_a)


@pytest.mark.django_db
class TestReminders:
    def test_invitees_are_reminded_once_the_working_days_before(self, planned):
        assert send_meeting_reminders(at=at(10, 15, 8, 59))[ReminderKind.BEFORE] == 0
        assert send_meeting_reminders(at=at(10, 15, 9))[ReminderKind.BEFORE] == 2  # both chains' meetings
        assert told(planned, "Reminder") == ["handler_a", "handler_ic", "handler_town", "leader_a"]
        assert send_meeting_reminders(at=at(10, 16, 9))[ReminderKind.BEFORE] == 0
        assert told(planned, "Reminder") == ["handler_a", "handler_ic", "handler_town", "leader_a"]

    def test_a_reminder_run_after_the_start_reminds_nobody_of_it(self, planned):
        assert send_meeting_reminders(at=at(10, 20, 15))[ReminderKind.BEFORE] == 0
        assert told(planned, "Reminder") == []

    def test_a_rescheduled_meeting_is_reminded_again_for_its_new_date(self, planned, meetings_world):
        send_meeting_reminders(at=at(10, 15, 9))
        with time_machine.travel(at(10, 16), tick=False):
            services.reschedule_meeting(meeting_id=planned.pk, actor=meetings_world.staff, starts_at=at(11, 10, 9))
        planned.refresh_from_db()
        assert planned.remind_at == at(11, 5, 9)
        assert send_meeting_reminders(at=at(11, 5, 9))[ReminderKind.BEFORE] == 1
        assert len(told(planned, "Reminder")) == 8  # the four invitees, once per date
        assert MeetingReminder.objects.filter(meeting=planned, kind=ReminderKind.BEFORE).count() == 2

    def test_the_organiser_hears_once_when_the_minutes_are_missing(self, planned, meetings_world):
        assert send_meeting_reminders(at=at(10, 27, 23))[ReminderKind.MINUTES_MISSING] == 0
        with time_machine.travel(at(10, 21), tick=False):
            services.hold_meeting(meeting_id=planned.pk, actor=meetings_world.staff)  # held, no minutes
        assert send_meeting_reminders(at=end_of(10, 27))[ReminderKind.MINUTES_MISSING] == 2
        assert told(planned, "minutes") == ["staff"]  # no organiser: district staff
        assert send_meeting_reminders(at=at(11, 2))[ReminderKind.MINUTES_MISSING] == 0
        assert told(planned, "minutes") == ["staff"]

    def test_a_minuted_meeting_is_not_chased(self, planned, meetings_world):
        with time_machine.travel(at(10, 21), tick=False):
            services.hold_meeting(
                meeting_id=planned.pk,
                actor=meetings_world.staff,
                summary="会议听取了产业链问题办理情况汇报。",
                attendance=[{"name": "张三", "unit_name": "经济部门A"}],
            )
        send_meeting_reminders(at=at(11, 2))
        assert told(planned, "missing") == []
        assert not MeetingReminder.objects.filter(meeting=planned, kind=ReminderKind.MINUTES_MISSING).exists()

    def test_the_command_reminds_as_of_the_given_instant(self, planned):
        out = StringIO()
        call_command("send_meeting_reminders", "--at", "2026-10-15T09:00:00+08:00", stdout=out)
        assert "before=2" in out.getvalue()
        with pytest.raises(CommandError, match="--at"):
            call_command("send_meeting_reminders", "--at", "soon")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_reminder_runs_remind_once(meetings_world):
    """One run holds its reminder rows uncommitted; two more wait on the unique index and then find
    them taken: each invitee hears once."""
    schedule_quarterly_meetings(at=at(10, 1, 6))
    before = Notification.objects.count()
    run = lambda: send_meeting_reminders(at=at(10, 15, 9))  # noqa: E731
    held, racers = race_past_a_lock(run, run, run)
    assert held[ReminderKind.BEFORE] == 2
    assert [r[ReminderKind.BEFORE] for r in racers] == [0, 0]
    assert MeetingReminder.objects.count() == 2
    assert Notification.objects.count() == before + 4 + 2  # chain_a's four invitees, chain_b's two
