"""The issue services end to end (design §4.6): transfer and joint handling, returns, extensions and
reopening after an unsatisfied rating. Every step is taken at a fixed instant on the 2026 calendar."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.roles import Role
from inbox.models import Notification
from inbox.tasks import send_pending_emails_task
from issues import services
from issues.models import (
    AlertKind,
    ExtensionRequest,
    ExtensionStatus,
    Issue,
    IssueAlert,
    IssueEvent,
    IssueShare,
    Rating,
    ShareRole,
    ShareStatus,
    Status,
)
from issues.sweep import sweep_deadlines
from issues.workflow import InvalidTransition, allowed_actions
from tests import factories as f
from tests.clock import at, end_of
from tests.issues.builders import issue_in

RAISED = at(9, 28)  # Monday 28 September 2026, 10:00: when each issue here is raised unless told
pytestmark = pytest.mark.django_db


def assert_refused(field: str, service, **kwargs) -> None:
    """The service refuses the input with a ValidationError that names `field`."""
    with pytest.raises(ValidationError) as error:
        service(**kwargs)
    assert field in error.value.message_dict


@pytest.fixture(autouse=True)
def _english():
    # Subjects are written in the active language; match them in the msgid language.
    with translation.override("en"):
        yield


def actions(issue):
    return list(IssueEvent.objects.filter(issue=issue).values_list("action", flat=True))


def recipients(issue, subject_part):
    return set(
        Notification.objects.about(issue)
        .filter(subject__contains=subject_part)
        .values_list("recipient__username", flat=True)
    )


@pytest.fixture
def handler_ic(world):
    """A handler of chain A's industry party committee (dept_a's committee, the ladder's first rung)."""
    return f.UserFactory(username="handler_ic", unit=world.ic_a, roles=[Role.UNIT_HANDLER])


class TestTransfer:
    def test_the_whole_transfer_flow(self, world, categories, calendar_2026):
        with time_machine.travel(at(9, 28, 9), tick=False):
            issue = services.submit_issue(
                actor=world.contact_a,
                enterprise_id=world.ent_a1.pk,
                category_code="request",
                title="  厂房用地审批慢 ",
                description="扩建用地审批已超过三个月",
            )
        assert issue.status == Status.SUBMITTED
        assert issue.title == "厂房用地审批慢"
        assert issue.chain == world.chain_a
        assert recipients(issue, "New issue") == {"staff"}

        with time_machine.travel(at(9, 28, 11), tick=False):
            issue = services.accept_issue(issue_id=issue.pk, actor=world.staff)
        assert issue.status == Status.ACCEPTED
        assert issue.accepted_at == at(9, 28, 11)
        # The enterprise's side: its contact and the first secretary posted to it.
        assert recipients(issue, "accepted") == {"contact_a", "secretary_a"}

        with time_machine.travel(at(9, 28, 15), tick=False):
            issue = services.dispatch_issue(
                issue_id=issue.pk, actor=world.staff, mode="transfer", lead_unit_id=world.dept_a.pk
            )
        assert (issue.status, issue.dispatch_mode, issue.lead_unit) == (Status.DISPATCHED, "transfer", world.dept_a)
        assert issue.resolve_due_at == end_of(10, 16)
        (share,) = IssueShare.objects.filter(issue=issue)
        assert (share.unit, share.role, share.status) == (world.dept_a, ShareRole.LEAD, ShareStatus.PENDING)
        assert share.due_at == issue.resolve_due_at
        assert recipients(issue, "dispatched") == {"handler_a"}

        with time_machine.travel(at(9, 29, 9), tick=False):
            issue = services.sign_issue(issue_id=issue.pk, actor=world.handler_a)
        assert issue.status == Status.IN_PROGRESS
        assert issue.signed_at == at(9, 29, 9)
        share.refresh_from_db()
        assert share.status == ShareStatus.SIGNED

        with time_machine.travel(at(10, 9, 16), tick=False):
            issue = services.resolve_issue(
                issue_id=issue.pk, actor=world.handler_a, answer="已协调自然资源部门加快审批"
            )
        assert issue.status == Status.RESOLVED
        assert issue.resolved_at == at(10, 9, 16)
        assert issue.rate_due_at == end_of(10, 15)
        share.refresh_from_db()
        assert (share.status, share.reply) == (ShareStatus.REPLIED, "已协调自然资源部门加快审批")
        assert recipients(issue, "please rate") == {"contact_a", "secretary_a"}

        with time_machine.travel(at(10, 10, 9), tick=False):
            issue = services.rate_issue(issue_id=issue.pk, actor=world.contact_a, satisfaction="satisfied")
        issue.refresh_from_db()
        assert issue.status == Status.CLOSED
        assert issue.closed_at == at(10, 10, 9)
        assert issue.reopen_count == 0
        assert Rating.objects.get(issue=issue).satisfaction == "satisfied"
        assert recipients(issue, "rated") == {"handler_a"}
        assert actions(issue) == ["submit", "accept", "dispatch", "sign", "resolve", "rate"]
        statuses = list(IssueEvent.objects.filter(issue=issue).values_list("from_status", "to_status"))
        assert statuses == [
            ("", "submitted"),
            ("submitted", "accepted"),
            ("accepted", "dispatched"),
            ("dispatched", "in_progress"),
            ("in_progress", "resolved"),
            ("resolved", "closed"),
        ]

    def test_a_basically_satisfied_rating_closes_too(self, world, categories, calendar_2026):
        issue = issue_in(world, "resolved", at=RAISED)
        issue = services.rate_issue(
            issue_id=issue.pk, actor=world.contact_a, satisfaction="basically", reason_codes=["slow"]
        )
        assert issue.status == Status.CLOSED

    def test_a_first_secretary_submits_for_the_enterprise_and_rates_it(self, world, categories, calendar_2026):
        issue = issue_in(world, "resolved", by=world.secretary_a, category="inquiry", at=RAISED)
        # Both the enterprise's contact and the secretary who raised it are told.
        assert recipients(issue, "please rate") == {"contact_a", "secretary_a"}
        issue = services.rate_issue(issue_id=issue.pk, actor=world.secretary_a, satisfaction="satisfied")
        assert issue.status == Status.CLOSED

    def test_a_rejection_needs_a_reason_and_closes_the_issue(self, world, categories, calendar_2026):
        issue = issue_in(world, "submitted", at=RAISED)
        assert_refused("reason", services.reject_issue, issue_id=issue.pk, actor=world.staff, reason="  ")
        issue.refresh_from_db()
        assert issue.status == Status.SUBMITTED
        issue = services.reject_issue(issue_id=issue.pk, actor=world.staff, reason="不属于政务服务范围")
        assert issue.status == Status.REJECTED
        assert issue.reject_reason == "不属于政务服务范围"
        assert recipients(issue, "not accepted") == {"contact_a", "secretary_a"}


class TestJoint:
    def test_the_whole_joint_flow_with_two_co_units(self, world, categories, calendar_2026):
        issue = issue_in(world, "dispatched", at=RAISED, mode="joint", co=[world.dept_b, world.town])
        assert recipients(issue, "dispatched") == {"handler_a", "handler_b", "handler_town"}
        shares = {a.unit_id: a for a in IssueShare.objects.filter(issue=issue)}
        assert {s.role for s in shares.values()} == {"lead", "co"}
        assert shares[world.dept_b.pk].role == shares[world.town.pk].role == ShareRole.CO

        # A co-unit signing leaves the issue dispatched; only the lead's signature starts the work.
        issue = services.sign_issue(issue_id=issue.pk, actor=world.handler_b)
        assert issue.status == Status.DISPATCHED
        issue = services.sign_issue(issue_id=issue.pk, actor=world.handler_a)
        assert issue.status == Status.IN_PROGRESS
        services.sign_issue(issue_id=issue.pk, actor=world.handler_town)

        with pytest.raises(InvalidTransition) as refused:
            services.resolve_issue(issue_id=issue.pk, actor=world.handler_a, answer="答复")
        assert "resolve" not in refused.value.allowed_actions

        services.reply_part(issue_id=issue.pk, actor=world.handler_b, reply="B部门意见：同意")
        with pytest.raises(InvalidTransition):
            services.resolve_issue(issue_id=issue.pk, actor=world.handler_a, answer="答复")
        issue.refresh_from_db()
        assert issue.status == Status.IN_PROGRESS

        services.reply_part(issue_id=issue.pk, actor=world.handler_town, reply="镇街意见：已现场核实")
        # The lead is told of each part.
        assert (
            Notification.objects.about(issue)
            .filter(recipient=world.handler_a, subject__contains="co-handling unit replied")
            .count()
            == 2
        )
        issue = services.resolve_issue(issue_id=issue.pk, actor=world.handler_a, answer="综合答复")
        assert issue.status == Status.RESOLVED
        replies = dict(IssueShare.objects.filter(issue=issue).values_list("unit_id", "reply"))
        assert replies == {
            world.dept_a.pk: "综合答复",
            world.dept_b.pk: "B部门意见：同意",
            world.town.pk: "镇街意见：已现场核实",
        }
        assert set(IssueShare.objects.filter(issue=issue).values_list("status", flat=True)) == {"replied"}
        assert actions(issue) == [
            "submit", "accept", "dispatch", "sign", "sign", "sign", "reply-part", "reply-part", "resolve",
        ]  # fmt: skip

    def test_a_co_unit_replies_only_after_signing(self, world, categories, calendar_2026):
        issue = issue_in(world, "dispatched", at=RAISED, mode="joint", co=[world.dept_b])
        with pytest.raises(InvalidTransition):
            services.reply_part(issue_id=issue.pk, actor=world.handler_b, reply="意见")
        services.sign_issue(issue_id=issue.pk, actor=world.handler_b)
        services.reply_part(issue_id=issue.pk, actor=world.handler_b, reply="意见")
        with pytest.raises(InvalidTransition):
            services.reply_part(issue_id=issue.pk, actor=world.handler_b, reply="再次意见")

    def test_joint_handling_needs_a_co_unit_and_a_transfer_has_none(self, world, categories, calendar_2026):
        issue = issue_in(world, "accepted", at=RAISED)
        for kwargs, field in (
            ({"mode": "joint", "co_unit_ids": []}, "co_units"),
            ({"mode": "transfer", "co_unit_ids": [world.dept_b.pk]}, "co_units"),
            ({"mode": "joint", "co_unit_ids": [world.dept_a.pk]}, "co_units"),
            ({"mode": "relay", "co_unit_ids": []}, "mode"),
        ):
            assert_refused(
                field,
                services.dispatch_issue,
                issue_id=issue.pk,
                actor=world.staff,
                lead_unit_id=world.dept_a.pk,
                **kwargs,
            )
        issue.refresh_from_db()
        assert issue.status == Status.ACCEPTED
        assert not IssueShare.objects.filter(issue=issue).exists()
        assert actions(issue) == ["submit", "accept"]


class TestReturn:
    def test_the_lead_returns_it_to_the_dispatcher_and_it_can_be_dispatched_again(
        self, world, categories, calendar_2026
    ):
        issue = issue_in(world, "in_progress", at=RAISED, mode="joint", co=[world.dept_b], extension="pending")
        issue = services.return_issue(issue_id=issue.pk, actor=world.handler_a, reason="不属于本单位职责")

        assert issue.status == Status.ACCEPTED
        assert issue.lead_unit is None
        assert issue.dispatch_mode == ""
        assert issue.resolve_due_at is None
        assert issue.sign_due_at is None
        assert issue.escalate_3_at is None
        shares = dict(IssueShare.objects.filter(issue=issue).values_list("unit_id", "status"))
        assert shares == {world.dept_a.pk: "returned", world.dept_b.pk: "cancelled"}
        request = ExtensionRequest.objects.get(issue=issue)
        assert (request.status, request.decided_by) == (ExtensionStatus.WITHDRAWN, None)
        assert request.decision_note == "Withdrawn: the issue was returned."
        event = IssueEvent.objects.filter(issue=issue).last()
        assert (event.action, event.from_status, event.to_status, event.public) == (
            "return",
            "in_progress",
            "accepted",
            False,
        )
        assert recipients(issue, "returned") == {"staff"}
        # The units that were on it may no longer act.
        for handler in (world.handler_a, world.handler_b):
            with pytest.raises(PermissionDenied):
                services.sign_issue(issue_id=issue.pk, actor=handler)

        issue = services.dispatch_issue(
            issue_id=issue.pk, actor=world.staff, mode="transfer", lead_unit_id=world.dept_b.pk
        )
        assert (issue.status, issue.lead_unit) == (Status.DISPATCHED, world.dept_b)
        services.sign_issue(issue_id=issue.pk, actor=world.handler_b)
        issue = services.resolve_issue(issue_id=issue.pk, actor=world.handler_b, answer="已办理")
        assert issue.status == Status.RESOLVED
        # The same unit may be dispatched again after a return: the old share is history.
        assert IssueShare.objects.filter(issue=issue, unit=world.dept_b).count() == 2

    def test_a_co_unit_returns_only_its_part(self, world, categories, calendar_2026):
        issue = issue_in(world, "in_progress", at=RAISED, mode="joint", co=[world.dept_b, world.town])
        before = Issue.objects.filter(pk=issue.pk).values().get()
        services.return_issue(issue_id=issue.pk, actor=world.handler_b, reason="非本部门职能")
        after = Issue.objects.filter(pk=issue.pk).values().get()
        assert {k: v for k, v in after.items() if k != "updated_at"} == {
            k: v for k, v in before.items() if k != "updated_at"
        }
        shares = dict(IssueShare.objects.filter(issue=issue).values_list("unit_id", "status"))
        assert shares == {world.dept_a.pk: "signed", world.dept_b.pk: "returned", world.town.pk: "pending"}
        # The returned part no longer holds up the answer; the remaining co-unit's still does.
        with pytest.raises(InvalidTransition):
            services.resolve_issue(issue_id=issue.pk, actor=world.handler_a, answer="答复")
        services.sign_issue(issue_id=issue.pk, actor=world.handler_town)
        services.reply_part(issue_id=issue.pk, actor=world.handler_town, reply="已核实")
        issue = services.resolve_issue(issue_id=issue.pk, actor=world.handler_a, answer="答复")
        assert issue.status == Status.RESOLVED

    def test_a_return_needs_a_reason(self, world, categories, calendar_2026):
        issue = issue_in(world, "dispatched", at=RAISED)
        assert_refused("reason", services.return_issue, issue_id=issue.pk, actor=world.handler_a, reason="")
        issue.refresh_from_db()
        assert issue.status == Status.DISPATCHED
        assert IssueShare.objects.get(issue=issue).status == ShareStatus.PENDING


class TestExtension:
    def test_a_granted_extension_moves_the_deadline_and_the_ladder(self, world, categories, calendar_2026):
        issue = issue_in(world, "in_progress", at=at(9, 30))
        assert issue.resolve_due_at == end_of(10, 20)
        request = services.request_extension(issue_id=issue.pk, actor=world.handler_a, days=3, reason="需要会商")
        assert request.status == ExtensionStatus.PENDING
        assert recipients(issue, "Extension requested") == {"staff"}
        request = services.decide_extension(issue_id=issue.pk, actor=world.staff, grant=True, note="同意")
        assert request.status == ExtensionStatus.GRANTED
        assert request.decided_by == world.staff
        issue.refresh_from_db()
        # Three working days after Tue 20 October: Wed 21, Thu 22, Fri 23.
        assert issue.resolve_due_at == end_of(10, 23)
        assert issue.resolve_warn_at == end_of(10, 22)
        assert issue.escalate_2_at == end_of(10, 27)
        assert issue.escalate_3_at == end_of(11, 3)
        lead = IssueShare.objects.get(issue=issue, role=ShareRole.LEAD)
        assert lead.due_at == end_of(10, 23)
        assert recipients(issue, "Extension granted") == {"handler_a"}
        event = IssueEvent.objects.filter(issue=issue, action="decide-extension").get()
        assert event.data["granted"] is True
        assert event.data["days"] == 3

    def test_a_denied_extension_leaves_the_deadline(self, world, categories, calendar_2026):
        issue = issue_in(world, "in_progress", at=at(9, 30))
        due = {k: getattr(issue, k) for k in ("resolve_due_at", "resolve_warn_at", "escalate_2_at", "escalate_3_at")}
        services.request_extension(issue_id=issue.pk, actor=world.handler_a, days=5, reason="需要会商")
        request = services.decide_extension(issue_id=issue.pk, actor=world.staff, grant=False, note="不同意")
        assert request.status == ExtensionStatus.DENIED
        issue.refresh_from_db()
        assert {k: getattr(issue, k) for k in due} == due
        assert recipients(issue, "Extension denied") == {"handler_a"}
        # Decided: a new request may be made.
        services.request_extension(issue_id=issue.pk, actor=world.handler_a, days=2, reason="再次申请")

    def test_only_one_request_pending_at_a_time(self, world, categories, calendar_2026):
        issue = issue_in(world, "in_progress", at=RAISED, extension="pending")
        with pytest.raises(InvalidTransition):
            services.request_extension(issue_id=issue.pk, actor=world.handler_a, days=2, reason="再来")
        assert ExtensionRequest.objects.filter(issue=issue).count() == 1

    @pytest.mark.parametrize("days", [0, 31, "3", None])
    def test_the_days_of_an_extension_are_checked(self, world, categories, calendar_2026, days):
        issue = issue_in(world, "in_progress", at=RAISED)
        assert_refused(
            "days", services.request_extension, issue_id=issue.pk, actor=world.handler_a, days=days, reason="需要"
        )
        assert not ExtensionRequest.objects.exists()
        assert actions(issue) == ["submit", "accept", "dispatch", "sign"]

    def test_an_extension_is_asked_for_after_signing(self, world, categories, calendar_2026):
        issue = issue_in(world, "dispatched", at=RAISED)
        with pytest.raises(InvalidTransition):
            services.request_extension(issue_id=issue.pk, actor=world.handler_a, days=3, reason="需要会商")
        assert not ExtensionRequest.objects.exists()

    def test_a_pending_request_does_not_stop_the_clock(self, world, categories, calendar_2026, handler_ic):
        issue = issue_in(world, "in_progress", category="inquiry", at=at(9, 30))
        services.request_extension(issue_id=issue.pk, actor=world.handler_a, days=5, reason="需要会商")
        assert issue.resolve_due_at == end_of(10, 9)
        counts = sweep_deadlines(at=at(10, 10, 9))
        assert counts[AlertKind.ESCALATE_1] == 1
        issue.refresh_from_db()
        assert issue.escalation_level == 1
        assert recipients(issue, "industry party committee") == {"handler_ic"}
        # Granted later, it moves the deadline: a new clock, no longer overdue, so off the ladder; the
        # rung reached stays in the timeline, and a breach of the new deadline climbs it afresh.
        services.decide_extension(issue_id=issue.pk, actor=world.staff, grant=True)
        issue.refresh_from_db()
        # Five working days after Fri 9 October: Sat 10 (make-up), Mon 12 … Thu 15.
        assert issue.resolve_due_at == end_of(10, 15)
        assert issue.escalation_level == 0
        assert IssueEvent.objects.filter(issue=issue, action="escalate").count() == 1
        assert sweep_deadlines(at=at(10, 15, 9))[AlertKind.WARN_RESOLVE] == 1  # the new deadline's warning
        assert sweep_deadlines(at=at(10, 16, 9))[AlertKind.ESCALATE_1] == 1
        issue.refresh_from_db()
        assert issue.escalation_level == 1

    def test_an_answer_withdraws_a_pending_request(self, world, categories, calendar_2026):
        issue = issue_in(world, "in_progress", at=at(9, 30), extension="pending")
        due = {k: getattr(issue, k) for k in ("resolve_due_at", "resolve_warn_at", "escalate_2_at", "escalate_3_at")}
        services.resolve_issue(issue_id=issue.pk, actor=world.handler_a, answer="已办理", at=at(10, 9, 15))

        request = ExtensionRequest.objects.get(issue=issue)
        assert request.status == ExtensionStatus.WITHDRAWN
        # Lapsed, not decided: when, but by nobody.
        assert (request.decided_at, request.decided_by) == (at(10, 9, 15), None)
        assert request.decision_note == "Withdrawn: the lead unit answered the issue."
        issue.refresh_from_db()
        assert {k: getattr(issue, k) for k in due} == due
        # Nobody took a step: the answer is the timeline's last entry.
        assert actions(issue)[-1] == "resolve"

    def test_an_answer_without_a_pending_request_leaves_the_decided_ones(self, world, categories, calendar_2026):
        issue = issue_in(world, "in_progress", at=at(9, 30), extension="denied")
        services.resolve_issue(issue_id=issue.pk, actor=world.handler_a, answer="已办理")
        assert ExtensionRequest.objects.get(issue=issue).status == ExtensionStatus.DENIED
        assert actions(issue)[-1] == "resolve"

    def test_after_a_reopening_the_old_request_cannot_be_granted_and_a_new_one_can_be_made(
        self, world, categories, calendar_2026
    ):
        # More time asked for on Wed 30 September, the answer given undecided, the answer rated
        # unsatisfied the same day: a new cycle of ten working days, to Tue 20 October.
        issue = issue_in(world, "reopened", at=at(9, 30), extension="pending")
        assert (issue.status, issue.resolve_due_at) == (Status.IN_PROGRESS, end_of(10, 20))
        assert "decide-extension" not in allowed_actions(issue, world.staff)
        with pytest.raises(InvalidTransition):
            services.decide_extension(issue_id=issue.pk, actor=world.staff, grant=True)
        issue.refresh_from_db()
        assert issue.resolve_due_at == end_of(10, 20)

        # The unit asks again in the new cycle, and that request is the one decided.
        assert "request-extension" in allowed_actions(issue, world.handler_a)
        services.request_extension(issue_id=issue.pk, actor=world.handler_a, days=2, reason="重办需要会商")
        assert "decide-extension" in allowed_actions(Issue.objects.get(pk=issue.pk), world.staff)
        granted = services.decide_extension(issue_id=issue.pk, actor=world.staff, grant=True)
        assert (granted.days, granted.reason) == (2, "重办需要会商")
        issue.refresh_from_db()
        # Two working days after Tue 20 October: Wed 21, Thu 22.
        assert issue.resolve_due_at == end_of(10, 22)
        statuses = ExtensionRequest.objects.filter(issue=issue).order_by("pk").values_list("status", flat=True)
        assert list(statuses) == [ExtensionStatus.WITHDRAWN, ExtensionStatus.GRANTED]


class TestRating:
    def test_an_unsatisfied_rating_reopens_with_a_new_deadline_and_a_fresh_ladder(
        self, world, categories, calendar_2026, handler_ic
    ):
        # Overdue (due Wed 30 September) and escalated to level 2 before it is answered.
        issue = issue_in(world, "in_progress", category="inquiry", at=at(9, 28), escalation=2)
        assert issue.escalation_level == 2
        services.resolve_issue(issue_id=issue.pk, actor=world.handler_a, answer="已答复", at=at(10, 12, 10))

        assert_refused(
            "reason_codes", services.rate_issue, issue_id=issue.pk, actor=world.contact_a, satisfaction="unsatisfied"
        )
        assert not Rating.objects.exists()

        issue = services.rate_issue(
            issue_id=issue.pk,
            actor=world.contact_a,
            satisfaction="unsatisfied",
            reason_codes=["not_solved", "not_solved"],
            comment="问题没有解决",
            at=at(10, 13, 9),
        )
        issue.refresh_from_db()
        assert issue.status == Status.IN_PROGRESS
        assert issue.reopen_count == 1
        assert issue.escalation_level == 0
        assert issue.rate_due_at is None
        # Two working days from Tue 13 October: Wed 14, Thu 15.
        assert issue.resolve_due_at == end_of(10, 15)
        assert issue.escalate_2_at == end_of(10, 19)
        assert Rating.objects.get(issue=issue).reason_codes == ["not_solved"]
        lead = IssueShare.objects.get(issue=issue, role=ShareRole.LEAD)
        assert (lead.status, lead.due_at) == (ShareStatus.SIGNED, end_of(10, 15))
        assert recipients(issue, "Reopened") == {"handler_a"}

        # The new cycle climbs the ladder afresh, once.
        counts = sweep_deadlines(at=at(10, 16, 9))
        assert counts[AlertKind.ESCALATE_1] == 1
        issue.refresh_from_db()
        assert issue.escalation_level == 1
        assert IssueAlert.objects.filter(issue=issue, kind=AlertKind.ESCALATE_1).count() == 2
        assert set(IssueAlert.objects.filter(issue=issue).values_list("cycle", flat=True)) == {1, 2}

        services.resolve_issue(issue_id=issue.pk, actor=world.handler_a, answer="再次答复", at=at(10, 16, 10))
        issue = services.rate_issue(issue_id=issue.pk, actor=world.contact_a, satisfaction="satisfied")
        assert issue.status == Status.CLOSED
        assert issue.reopen_count == 1

    def test_unknown_reason_codes_are_refused(self, world, categories, calendar_2026):
        issue = issue_in(world, "resolved", category="inquiry", at=at(9, 28))
        assert_refused(
            "reason_codes",
            services.rate_issue,
            issue_id=issue.pk,
            actor=world.contact_a,
            satisfaction="unsatisfied",
            reason_codes=["bribe"],
        )
        assert_refused(
            "satisfaction", services.rate_issue, issue_id=issue.pk, actor=world.contact_a, satisfaction="great"
        )
        issue.refresh_from_db()
        assert issue.status == Status.RESOLVED
        assert not Rating.objects.exists()


class TestComments:
    def test_a_public_comment_reaches_the_enterprise_and_an_internal_one_does_not(
        self, world, categories, calendar_2026
    ):
        issue = issue_in(world, "dispatched", at=RAISED)
        services.comment_on_issue(issue_id=issue.pk, actor=world.handler_a, text="请补充材料", public=True)
        assert recipients(issue, "New comment") == {"staff", "contact_a", "secretary_a"}
        Notification.objects.filter(subject__contains="New comment").delete()
        services.comment_on_issue(issue_id=issue.pk, actor=world.staff, text="内部意见", public=False)
        assert recipients(issue, "New comment") == {"handler_a"}

    def test_the_enterprise_cannot_write_an_internal_comment(self, world, categories, calendar_2026):
        issue = issue_in(world, "dispatched", at=RAISED)
        assert_refused(
            "public", services.comment_on_issue, issue_id=issue.pk, actor=world.contact_a, text="内部", public=False
        )
        assert actions(issue) == ["submit", "accept", "dispatch"]


@pytest.mark.django_db
class TestMail:
    def test_a_step_that_tells_people_has_their_mail_sent_once_it_commits(
        self, world, categories, calendar_2026, enqueued, django_capture_on_commit_callbacks
    ):
        issue = issue_in(world, "accepted", at=RAISED)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.dispatch_issue(
                issue_id=issue.pk,
                actor=world.staff,
                mode="joint",
                lead_unit_id=world.dept_a.pk,
                co_unit_ids=[world.dept_b.pk],
            )
            assert enqueued == []  # nothing before the commit
        assert recipients(issue, "dispatched") == {"handler_a", "handler_b"}
        assert recipients(issue, "passed to") == {"contact_a", "secretary_a"}  # the enterprise's side
        # One task per group told (the units, the enterprise), after the commit; each sends the whole
        # outbox, so the second finds nothing left (the outbox claim sends no mail twice).
        assert len(callbacks) == 2
        assert enqueued == [send_pending_emails_task.name] * 2

    def test_a_step_that_tells_nobody_asks_for_no_mail(
        self, world, categories, calendar_2026, enqueued, django_capture_on_commit_callbacks
    ):
        issue = issue_in(world, "dispatched", at=RAISED)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.sign_issue(issue_id=issue.pk, actor=world.handler_a)
        assert callbacks == []
        assert enqueued == []


def test_a_back_dated_flow_reads_in_order_on_the_timeline(world, categories, calendar_2026):
    """Services told when something happened (`at`) date its timeline entry then, not now."""
    issue = services.submit_issue(
        actor=world.contact_a,
        enterprise_id=world.ent_a1.pk,
        category_code="inquiry",
        title="政策咨询",
        description="研发费用加计扣除",
        at=at(9, 28, 9),
    )
    services.accept_issue(issue_id=issue.pk, actor=world.staff)
    services.dispatch_issue(
        issue_id=issue.pk, actor=world.staff, mode="transfer", lead_unit_id=world.dept_a.pk, at=at(9, 28, 10)
    )
    stamps = dict(IssueEvent.objects.filter(issue=issue).values_list("action", "created_at"))
    assert stamps["submit"] == at(9, 28, 9)
    assert stamps["dispatch"] == at(9, 28, 10)
