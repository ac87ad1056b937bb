"""The meeting's rules (design §4.7): the agenda built from the chain's issues and frozen when held,
the workflow's steps and refusals, decisions opening linked supervised issues, bad input refused
with nothing written."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from chainparty.errors import InvalidTransition
from inbox.models import Notification
from issues.models import Issue, IssueEvent
from issues.models import Status as IssueStatus
from meetings import services
from meetings.models import AgendaItem, AgendaReason, Attendance, Decision, Meeting, Status
from meetings.quarters import Quarter
from meetings.sweep import schedule_quarterly_meetings, send_meeting_reminders
from tests.clock import at, end_of
from tests.issues.builders import issue_in


@pytest.fixture
def agenda_issues(meetings_world):
    """chain_a's issues, one per agenda rule and two that no rule takes; one overdue issue of chain_b."""
    w = meetings_world
    return {
        # Built first: the builder escalates by running the issue sweep over every issue.
        "reached_leader": issue_in(w, "in_progress", category="inquiry", at=at(9, 30), escalation=2),
        "overdue": issue_in(w, "in_progress", category="inquiry", at=at(10, 12)),  # due 14 Oct
        "joint": issue_in(w, "dispatched", category="complaint", at=at(10, 12), mode="joint"),
        "unsatisfied": issue_in(w, "reopened", category="complaint", at=at(10, 12)),
        "plain": issue_in(w, "in_progress", category="request", at=at(10, 12)),
        "closed": issue_in(w, "closed", category="inquiry", at=at(10, 12)),
        "other_chain": issue_in(w, "in_progress", category="inquiry", at=at(10, 12), enterprise=w.ent_b1),
    }


def agenda_of(meeting):
    return {item.issue_id: item.reasons for item in AgendaItem.objects.filter(meeting=meeting, issue__isnull=False)}


def hold(meeting, world, when=None, **minutes):
    with time_machine.travel(when or at(10, 21), tick=False):
        return services.hold_meeting(meeting_id=meeting.pk, actor=world.staff, **minutes)


@pytest.mark.django_db
class TestAgenda:
    def test_the_agenda_holds_the_chains_issues_that_need_the_meeting(self, meeting, agenda_issues):
        send_meeting_reminders(at=at(10, 16))
        i = agenda_issues
        assert agenda_of(meeting) == {
            i["reached_leader"].pk: [AgendaReason.REACHED_LEADER, AgendaReason.OVERDUE],
            i["overdue"].pk: [AgendaReason.OVERDUE],
            i["joint"].pk: [AgendaReason.JOINT_OPEN],
            i["unsatisfied"].pk: [AgendaReason.UNSATISFIED],
        }
        other = Meeting.objects.get(chain=i["other_chain"].chain)
        assert agenda_of(other) == {i["other_chain"].pk: [AgendaReason.OVERDUE]}

    def test_an_issue_that_no_longer_needs_it_leaves_the_agenda_until_the_meeting_is_held(
        self, meeting, agenda_issues, meetings_world
    ):
        send_meeting_reminders(at=at(10, 13))  # the inquiry of 12 October is not overdue yet
        assert agenda_issues["overdue"].pk not in agenda_of(meeting)
        send_meeting_reminders(at=at(10, 16))
        assert agenda_issues["overdue"].pk in agenda_of(meeting)
        with time_machine.travel(at(10, 16, 12), tick=False):
            from issues import services as issue_services

            issue_services.resolve_issue(
                issue_id=agenda_issues["overdue"].pk, actor=meetings_world.handler_a, answer="已办结"
            )
        send_meeting_reminders(at=at(10, 17))
        assert agenda_issues["overdue"].pk not in agenda_of(meeting)

    def test_the_agenda_is_frozen_when_the_meeting_is_held(self, meeting, agenda_issues, meetings_world):
        hold(meeting, meetings_world)
        frozen = agenda_of(meeting)
        assert agenda_issues["overdue"].pk in frozen
        late = issue_in(meetings_world, "in_progress", category="inquiry", at=at(10, 12, 11))
        send_meeting_reminders(at=at(10, 30))
        assert late.pk not in agenda_of(meeting)
        assert agenda_of(meeting) == frozen
        meeting.refresh_from_db()
        assert meeting.agenda_frozen_at == at(10, 21)

    def test_a_past_quarters_meeting_is_refreshed_when_held_not_by_every_sweep(self, meeting, meetings_world):
        schedule_quarterly_meetings(quarter=Quarter(2026, 3), at=at(10, 1, 6))
        late = Meeting.objects.get(chain=meetings_world.chain_a, quarter="2026Q3")
        overdue = issue_in(meetings_world, "in_progress", category="inquiry", at=at(10, 12))
        send_meeting_reminders(at=at(10, 16))
        assert overdue.pk in agenda_of(meeting)
        assert overdue.pk not in agenda_of(late)
        hold(late, meetings_world)
        assert overdue.pk in agenda_of(late)

    def test_the_chain_leader_adds_an_open_issue_of_the_chain_to_the_next_meeting(
        self, meeting, agenda_issues, meetings_world
    ):
        with time_machine.travel(at(10, 14), tick=False):
            item = services.add_issue_to_next_meeting(actor=meetings_world.leader_a, issue_id=agenda_issues["plain"].pk)
        assert item.meeting == meeting
        assert item.reasons == [AgendaReason.ADDED]
        send_meeting_reminders(at=at(10, 16))  # a refresh keeps what was added by hand
        assert agenda_of(meeting)[agenda_issues["plain"].pk] == [AgendaReason.ADDED]
        with pytest.raises(ValidationError) as refused:
            services.add_issue_to_next_meeting(actor=meetings_world.leader_a, issue_id=agenda_issues["plain"].pk)
        assert "issue" in refused.value.message_dict

    def test_another_chains_leader_may_not_add_and_an_issue_of_another_chain_is_refused(
        self, meeting, agenda_issues, meetings_world
    ):
        with pytest.raises(PermissionDenied):
            services.add_agenda_item(
                meeting_id=meeting.pk, actor=meetings_world.leader_b, issue_id=agenda_issues["plain"].pk
            )
        with pytest.raises(ValidationError) as refused:
            services.add_agenda_item(
                meeting_id=meeting.pk, actor=meetings_world.leader_a, issue_id=agenda_issues["other_chain"].pk
            )
        assert refused.value.message_dict == {"issue": ["Choose an open issue of this chain."]}
        with pytest.raises(ValidationError):
            services.add_agenda_item(meeting_id=meeting.pk, actor=meetings_world.staff, title="   ")

    def test_staff_add_a_topic_of_their_own(self, meeting, meetings_world):
        item = services.add_agenda_item(meeting_id=meeting.pk, actor=meetings_world.staff, title="年度党建工作规划评估")
        assert item.issue is None
        assert item.title == "年度党建工作规划评估"


@pytest.mark.django_db
class TestWorkflow:
    def test_minutes_for_a_meeting_that_has_not_happened_are_refused(self, meeting, meetings_world):
        with time_machine.travel(at(10, 20, 14), tick=False), pytest.raises(InvalidTransition) as refused:
            services.hold_meeting(meeting_id=meeting.pk, actor=meetings_world.staff, summary="提前写好的纪要")
        assert "has not taken place yet" in str(refused.value)
        assert "hold" not in refused.value.allowed_actions
        meeting.refresh_from_db()
        assert meeting.status == Status.PLANNED
        assert meeting.summary == ""

    def test_held_with_minutes_it_is_minuted_and_the_invitees_are_told(self, meeting, meetings_world):
        hold(
            meeting,
            meetings_world,
            summary="会议研究了产业链问题。",
            attendance=[{"name": "李链长", "unit_name": "区委"}, {"name": "王处长", "unit_name": "经济部门A"}],
        )
        meeting.refresh_from_db()
        assert meeting.status == Status.MINUTED
        assert list(Attendance.objects.filter(meeting=meeting).values_list("name", "unit_name")) == [
            ("李链长", "区委"),
            ("王处长", "经济部门A"),
        ]
        assert Notification.objects.about(meeting).filter(subject__contains="minutes are recorded").count() == 4

    def test_held_without_minutes_they_are_recorded_later(self, meeting, meetings_world):
        hold(meeting, meetings_world)
        meeting.refresh_from_db()
        assert meeting.status == Status.HELD
        with pytest.raises(ValidationError) as refused:
            services.record_minutes(meeting_id=meeting.pk, actor=meetings_world.staff, summary=" ")
        assert refused.value.message_dict == {"summary": ["This field is required."]}
        services.record_minutes(meeting_id=meeting.pk, actor=meetings_world.staff, summary="补录纪要")
        meeting.refresh_from_db()
        assert meeting.status == Status.MINUTED
        assert meeting.summary == "补录纪要"

    def test_a_meeting_moved_outside_its_quarter_is_refused_and_nothing_changes(self, meeting, meetings_world):
        with time_machine.travel(at(10, 10), tick=False), pytest.raises(ValidationError) as refused:
            services.reschedule_meeting(
                meeting_id=meeting.pk, actor=meetings_world.staff, starts_at=at(1, 5, year=2027)
            )
        assert refused.value.message_dict == {
            "starts_at": ["The meeting of 2026Q4 must take place between 2026-10-01 and 2026-12-31."]
        }
        meeting.refresh_from_db()
        assert meeting.status == Status.PLANNED
        assert meeting.starts_at == at(10, 20, 14, 30)
        assert meeting.schedule_version == 1

    def test_rescheduling_tells_the_invitees(self, meeting, meetings_world):
        with time_machine.travel(at(10, 10), tick=False):
            services.reschedule_meeting(
                meeting_id=meeting.pk, actor=meetings_world.staff, starts_at=at(11, 3, 9, 30), place="区政府3号会议室"
            )
        meeting.refresh_from_db()
        assert (meeting.status, meeting.place, meeting.schedule_version) == (Status.RESCHEDULED, "区政府3号会议室", 2)
        assert (
            Notification.objects.about(meeting).filter(subject__contains="Rescheduled to 2026-11-03 09:30").count() == 4
        )

    def test_a_cancelled_meeting_needs_a_reason_and_can_no_longer_be_held(self, meeting, meetings_world):
        with pytest.raises(ValidationError):
            services.cancel_meeting(meeting_id=meeting.pk, actor=meetings_world.staff, reason="")
        services.cancel_meeting(meeting_id=meeting.pk, actor=meetings_world.staff, reason="与全区大会冲突")
        with pytest.raises(InvalidTransition) as refused:
            hold(meeting, meetings_world)
        assert refused.value.allowed_actions == []

    def test_only_district_staff_run_the_meeting(self, meeting, meetings_world):
        for user in (meetings_world.leader_a, meetings_world.handler_a):
            with pytest.raises(PermissionDenied):
                services.cancel_meeting(meeting_id=meeting.pk, actor=user, reason="不开了")


@pytest.mark.django_db
class TestDecisions:
    @pytest.fixture
    def held(self, meeting, agenda_issues, meetings_world):
        send_meeting_reminders(at=at(10, 16))
        hold(meeting, meetings_world, summary="会议纪要")
        return meeting

    def item_of(self, meeting, issue):
        return AgendaItem.objects.get(meeting=meeting, issue=issue)

    def test_a_follow_up_becomes_a_supervised_issue_linked_to_the_meeting(self, held, agenda_issues, meetings_world):
        w = meetings_world
        item = self.item_of(held, agenda_issues["overdue"])
        with time_machine.travel(at(10, 22), tick=False):
            decision = services.record_decision(
                meeting_id=held.pk,
                actor=w.staff,
                text="由经济部门B牵头协调用地指标\n月底前报送进展",
                agenda_item_id=item.pk,
                follow_up_unit_id=w.dept_b.pk,
                follow_up_due=end_of(11, 30).date(),
            )
        issue = decision.follow_up_issue
        assert issue is not None
        assert (issue.status, issue.lead_unit, issue.chain, issue.enterprise) == (
            IssueStatus.DISPATCHED,
            w.dept_b,
            w.chain_a,
            w.ent_a1,
        )
        assert issue.title == "Meeting decision: 由经济部门B牵头协调用地指标"
        assert issue.resolve_due_at == end_of(11, 30)
        assert issue.supervised_at == at(10, 22)
        assert IssueEvent.objects.filter(issue=issue, action="supervise", public=False).exists()
        assert Notification.objects.about(issue).filter(recipient=w.handler_b).exists()
        assert Decision.objects.get(follow_up_issue=issue).meeting == held

    def test_a_follow_up_to_no_unit_with_a_past_deadline_is_refused_whole(self, held, agenda_issues, meetings_world):
        item = self.item_of(held, agenda_issues["overdue"])
        issues_before = Issue.objects.count()
        with time_machine.travel(at(10, 22), tick=False), pytest.raises(ValidationError) as refused:
            services.record_decision(
                meeting_id=held.pk,
                actor=meetings_world.staff,
                text="限期解决",
                agenda_item_id=item.pk,
                follow_up_unit_id=987654,
                follow_up_due=end_of(10, 21).date(),
            )
        assert refused.value.message_dict == {
            "follow_up_unit": ["No such unit: choose the unit that follows it up."],
            "follow_up_due": ["The deadline must be after today (2026-10-22)."],
        }
        assert Issue.objects.count() == issues_before
        assert not Decision.objects.exists()

    def test_a_decision_without_text_or_on_another_meetings_item_is_refused(self, held, meetings_world):
        with pytest.raises(ValidationError) as refused:
            services.record_decision(meeting_id=held.pk, actor=meetings_world.staff, text="", agenda_item_id=999999)
        assert set(refused.value.message_dict) == {"text", "agenda_item"}

    def test_a_decision_can_update_an_existing_issue(self, held, agenda_issues, meetings_world):
        joint = agenda_issues["joint"]
        services.record_decision(
            meeting_id=held.pk, actor=meetings_world.staff, text="会办单位五个工作日内答复", updated_issue_id=joint.pk
        )
        note = IssueEvent.objects.filter(issue=joint, action="comment").latest("pk")
        assert "会办单位五个工作日内答复" in note.note
        assert note.public is False

    def test_no_decision_before_the_meeting_is_held(self, meeting, meetings_world):
        with pytest.raises(InvalidTransition):
            services.record_decision(meeting_id=meeting.pk, actor=meetings_world.staff, text="先定下来")

    def test_the_discussion_of_an_item_is_recorded(self, held, agenda_issues, meetings_world):
        item = self.item_of(held, agenda_issues["joint"])
        services.discuss_item(
            meeting_id=held.pk, actor=meetings_world.staff, agenda_item_id=item.pk, discussion="各单位表态"
        )
        item.refresh_from_db()
        assert item.discussion == "各单位表态"
