"""The deadline sweep (design §4.6): warnings once, the escalation ladder at the right instants and to
the right people, unrated closing, exactly once under re-runs and two concurrent sweeps, catch-up after
downtime, and a query count that does not grow with the number of issues."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.roles import Role
from inbox.models import Notification
from inbox.tasks import send_pending_emails_task
from issues import services
from issues.models import AlertKind, Issue, IssueAlert, IssueEvent, Status
from issues.sweep import sweep_deadlines
from tests import factories as f
from tests.clock import at, end_of
from tests.concurrency import race_past_a_lock
from tests.issues.builders import issue_in


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def handler_ic(world):
    """A handler of ic_a, the industry party committee dept_a reports to: the ladder's first rung."""
    return f.UserFactory(username="handler_ic", unit=world.ic_a, roles=[Role.UNIT_HANDLER], email="ic@example.org")


def notified(issue, kind):
    label = str(AlertKind(kind).label)
    return sorted(
        Notification.objects.about(issue).filter(subject__endswith=label).values_list("recipient__username", flat=True)
    )


def sweep_events(issue):
    return list(IssueEvent.objects.filter(issue=issue, actor=None).values_list("action", "data__level").order_by("pk"))


@pytest.mark.django_db
class TestWarnings:
    def test_the_accept_warning_goes_to_district_staff_once(self, world, categories, calendar_2026):
        issue = issue_in(world, "submitted", category="inquiry", at=at(9, 30, 9))
        assert sweep_deadlines(at=at(9, 30, 23))[AlertKind.WARN_ACCEPT] == 0
        assert sweep_deadlines(at=end_of(9, 30))[AlertKind.WARN_ACCEPT] == 1
        assert notified(issue, AlertKind.WARN_ACCEPT) == ["staff"]
        assert sweep_deadlines(at=at(10, 8))[AlertKind.WARN_ACCEPT] == 0
        assert notified(issue, AlertKind.WARN_ACCEPT) == ["staff"]
        assert sweep_events(issue) == [("warn", 0)]

    def test_the_sign_warning_goes_to_the_units_that_have_not_signed(self, world, categories, calendar_2026):
        joint = {"mode": "joint", "co": [world.dept_b, world.town]}
        issue = issue_in(world, "dispatched", category="inquiry", at=at(9, 30, 9), **joint)
        with time_machine.travel(at(9, 30, 9), tick=False):
            services.sign_issue(issue_id=issue.pk, actor=world.handler_b)  # the lead and the town have not
        counts = sweep_deadlines(at=at(10, 1))
        assert counts[AlertKind.WARN_SIGN] == 1
        assert notified(issue, AlertKind.WARN_SIGN) == ["handler_a", "handler_town"]
        sweep_deadlines(at=at(10, 8, 12))
        assert notified(issue, AlertKind.WARN_SIGN) == ["handler_a", "handler_town"]

    def test_the_resolve_warning_goes_to_the_lead_unit_one_working_day_before(self, world, categories, calendar_2026):
        # Due Fri 9 October, warned at the end of Thu 8.
        issue = issue_in(world, "in_progress", category="inquiry", at=at(9, 30))
        assert sweep_deadlines(at=at(10, 8, 23))[AlertKind.WARN_RESOLVE] == 0
        assert sweep_deadlines(at=end_of(10, 8))[AlertKind.WARN_RESOLVE] == 1
        assert notified(issue, AlertKind.WARN_RESOLVE) == ["handler_a"]
        assert sweep_deadlines(at=at(10, 9, 12))[AlertKind.WARN_RESOLVE] == 0
        issue.refresh_from_db()
        assert issue.escalation_level == 0

    def test_a_resolved_issue_is_neither_warned_nor_escalated(self, world, categories, calendar_2026, handler_ic):
        issue = issue_in(world, "in_progress", category="inquiry", at=at(9, 30))
        services.resolve_issue(issue_id=issue.pk, actor=world.handler_a, answer="已答复", at=at(9, 30, 11))
        sweep_deadlines(at=at(10, 12))
        assert not IssueAlert.objects.filter(issue=issue).exists()
        issue.refresh_from_db()
        assert (issue.status, issue.escalation_level) == (Status.RESOLVED, 0)


@pytest.mark.django_db
class TestLadder:
    def test_each_level_at_its_instant_with_its_event_and_its_people(
        self, world, categories, calendar_2026, handler_ic
    ):
        issue = issue_in(world, "in_progress", category="inquiry", at=at(9, 30))
        assert issue.resolve_due_at == end_of(10, 9)

        def level_after(moment):
            sweep_deadlines(at=moment)
            issue.refresh_from_db()
            return issue.escalation_level

        assert level_after(at(10, 9, 23, 59, 59)) == 0
        assert level_after(at(10, 10, 0, 0, 1)) == 1  # the breach
        assert notified(issue, AlertKind.ESCALATE_1) == ["handler_ic"]
        assert level_after(at(10, 12, 23, 59, 59)) == 1
        assert level_after(at(10, 13, 0, 0, 1)) == 2  # two working days later (Sat 10 counts)
        assert notified(issue, AlertKind.ESCALATE_2) == ["leader_a"]
        assert level_after(at(10, 19, 23, 59, 59)) == 2
        assert level_after(at(10, 20, 0, 0, 1)) == 3  # five working days after rung 2
        # The district supervises through its staff; chain B's leader (who sits in the district
        # committee unit) hears nothing of chain A's issue.
        assert notified(issue, AlertKind.ESCALATE_3) == ["staff"]
        assert level_after(at(11, 30)) == 3

        assert sweep_events(issue) == [("warn", 0), ("escalate", 1), ("escalate", 2), ("escalate", 3)]
        events = IssueEvent.objects.filter(issue=issue, action="escalate")
        assert {e.public for e in events} == {False}
        assert [e.created_at for e in events] == [at(10, 10, 0, 0, 1), at(10, 13, 0, 0, 1), at(10, 20, 0, 0, 1)]
        assert list(IssueAlert.objects.filter(issue=issue).values_list("kind", flat=True).order_by("pk")) == [
            AlertKind.WARN_RESOLVE,
            AlertKind.ESCALATE_1,
            AlertKind.ESCALATE_2,
            AlertKind.ESCALATE_3,
        ]

    def test_the_escalated_issue_reaches_the_industry_committee_and_can_be_supervised(
        self, world, categories, calendar_2026, handler_ic
    ):
        from issues.selectors import list_issues_for_user

        issue = issue_in(world, "in_progress", category="inquiry", at=at(9, 30))
        assert not list_issues_for_user(handler_ic).filter(pk=issue.pk).exists()
        sweep_deadlines(at=at(10, 10, 9))
        assert list_issues_for_user(handler_ic).filter(pk=issue.pk).exists()
        reply_by = timezone.localdate() + timedelta(days=3)
        services.supervise_issue(
            issue_id=issue.pk, actor=world.staff, instruction="请加快办理", reply_by=reply_by, report=True
        )
        issue.refresh_from_db()
        assert issue.supervised_at is not None
        assert Notification.objects.about(issue).filter(subject__contains="Supervised").count() == 2  # handler, leader

    def test_the_chain_leader_of_another_chain_is_never_told(self, world, categories, calendar_2026, handler_ic):
        issue = issue_in(world, "in_progress", category="inquiry", at=at(9, 30))
        sweep_deadlines(at=at(11, 30))
        assert not Notification.objects.about(issue).filter(recipient__in=[world.leader_b, world.handler_b]).exists()


@pytest.mark.django_db
class TestClosing:
    def test_an_unrated_issue_closes_after_the_rating_window(self, world, categories, calendar_2026):
        issue = issue_in(world, "in_progress", category="inquiry", at=at(9, 30))
        services.resolve_issue(issue_id=issue.pk, actor=world.handler_a, answer="已答复", at=at(10, 9, 10))
        issue.refresh_from_db()
        assert issue.rate_due_at == end_of(10, 15)
        assert sweep_deadlines(at=at(10, 15, 23))[AlertKind.CLOSE_UNRATED] == 0
        assert sweep_deadlines(at=at(10, 16, 9))[AlertKind.CLOSE_UNRATED] == 1
        issue.refresh_from_db()
        assert (issue.status, issue.closed_at) == (Status.CLOSED, at(10, 16, 9))
        close = IssueEvent.objects.get(issue=issue, action="close")
        assert (close.action, close.from_status, close.to_status, close.public) == ("close", "resolved", "closed", True)
        assert sweep_deadlines(at=at(10, 20))[AlertKind.CLOSE_UNRATED] == 0

    def test_a_rated_issue_is_not_closed_by_the_sweep(self, world, categories, calendar_2026):
        issue = issue_in(world, "in_progress", category="inquiry", at=at(9, 30))
        services.resolve_issue(issue_id=issue.pk, actor=world.handler_a, answer="已答复", at=at(10, 9, 10))
        services.rate_issue(
            issue_id=issue.pk, actor=world.contact_a, satisfaction="unsatisfied", reason_codes=["slow"], at=at(10, 12)
        )
        counts = sweep_deadlines(at=at(10, 20))
        assert counts[AlertKind.CLOSE_UNRATED] == 0
        issue.refresh_from_db()
        assert issue.status == Status.IN_PROGRESS


@pytest.mark.django_db
class TestOnce:
    def test_a_second_sweep_adds_nothing(self, world, categories, calendar_2026, handler_ic):
        issue_in(world, "in_progress", category="inquiry", at=at(9, 30))
        issue_in(world, "in_progress", category="inquiry", at=at(10, 9))
        first = sweep_deadlines(at=at(10, 20, 9))
        assert sum(first.values()) > 0
        counts = [m.objects.count() for m in (IssueAlert, IssueEvent, Notification)]
        again = sweep_deadlines(at=at(10, 20, 9))
        later = sweep_deadlines(at=at(10, 20, 9) + timedelta(minutes=1))
        assert sum(again.values()) == sum(later.values()) == 0
        assert [m.objects.count() for m in (IssueAlert, IssueEvent, Notification)] == counts

    def test_after_ten_missed_working_days_one_sweep_records_every_rung_once(
        self, world, categories, calendar_2026, handler_ic
    ):
        issues = [issue_in(world, "in_progress", category="inquiry", at=at(9, 30)) for _ in range(3)]
        # Due Fri 9 October; ten working days later: Sat 10, Mon 12 … Fri 16, Mon 19 … Thu 22.
        counts = sweep_deadlines(at=at(10, 23, 9))
        assert counts[AlertKind.ESCALATE_1] == counts[AlertKind.ESCALATE_2] == counts[AlertKind.ESCALATE_3] == 3
        for issue in issues:
            issue.refresh_from_db()
            assert issue.escalation_level == 3
            # No "deadline approaching" for a deadline ten working days gone: only the rungs.
            assert sweep_events(issue) == [("escalate", 1), ("escalate", 2), ("escalate", 3)]
            assert not IssueAlert.objects.filter(issue=issue, kind=AlertKind.WARN_RESOLVE).exists()
            assert notified(issue, AlertKind.ESCALATE_1) == ["handler_ic"]
            assert notified(issue, AlertKind.ESCALATE_2) == ["leader_a"]
            assert notified(issue, AlertKind.ESCALATE_3) == ["staff"]
        totals = [m.objects.count() for m in (IssueAlert, IssueEvent, Notification)]
        assert sum(sweep_deadlines(at=at(10, 23, 9, 1)).values()) == 0
        assert [m.objects.count() for m in (IssueAlert, IssueEvent, Notification)] == totals

    def test_the_query_count_does_not_grow_with_the_issues(self, world, categories, calendar_2026, handler_ic):
        def sweep_queries(n):
            for _ in range(n):
                issue_in(world, "in_progress", category="inquiry", at=at(9, 30))  # due Fri 9 October
            with CaptureQueriesContext(connection) as queries:
                counts = sweep_deadlines(at=at(10, 23, 9))
            assert counts[AlertKind.ESCALATE_3] == n
            return len(queries)

        few = sweep_queries(10)
        many = sweep_queries(30)
        assert few == many
        assert few <= 20
        assert Issue.objects.filter(escalation_level=3).count() == 40

    def test_the_mail_is_asked_for_once_on_commit_and_not_when_nothing_was_due(
        self, world, categories, calendar_2026, handler_ic, enqueued, django_capture_on_commit_callbacks
    ):
        issue_in(world, "in_progress", category="inquiry", at=at(9, 30))
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            counts = sweep_deadlines(at=at(10, 23, 9))
            assert enqueued == []  # nothing before the commit
        assert counts[AlertKind.ESCALATE_3] == 1
        assert len(callbacks) == 1
        assert enqueued == [send_pending_emails_task.name]
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            assert sum(sweep_deadlines(at=at(10, 23, 9)).values()) == 0
        assert callbacks == []
        assert enqueued == [send_pending_emails_task.name]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_act_once(world, categories, calendar_2026, handler_ic):
    issues = [issue_in(world, "in_progress", category="inquiry", at=at(9, 30)) for _ in range(50)]
    told_before = Notification.objects.count()  # of the submissions, acceptances and dispatches

    def sweep():
        out = StringIO()
        call_command("sweep_deadlines", "--at", "2026-10-23T09:00:00+08:00", stdout=out)
        return out.getvalue()

    # Hold one issue's row: the first sweep to update escalation levels waits on it with its alerts
    # uncommitted, and the other sweep's inserts wait on those alerts. Both are then provably inside
    # their transactions at once when the row is let go.
    _, outputs = race_past_a_lock(lambda: Issue.objects.select_for_update().get(pk=issues[0].pk), sweep, sweep)
    assert len(outputs) == 2
    assert sum("nothing due" in out for out in outputs) == 1

    per_issue_kind = IssueAlert.objects.values("issue", "kind").annotate(n=Count("id"))
    assert {row["n"] for row in per_issue_kind} == {1}
    assert IssueAlert.objects.count() == 50 * 3  # three rungs (the warning's deadline had passed)
    assert IssueEvent.objects.filter(action__in=["warn", "escalate"]).count() == 50 * 3
    per_note = Notification.objects.values("recipient", "target_type", "target_id", "subject").annotate(n=Count("id"))
    assert {row["n"] for row in per_note} == {1}
    # handler_a warned, handler_ic, leader_a and staff once per rung.
    assert Notification.objects.count() == told_before + 50 * 3
    assert set(Issue.objects.values_list("escalation_level", flat=True)) == {3}


@pytest.mark.django_db
class TestCommand:
    def test_the_command_sweeps_as_of_the_given_instant(self, world, categories, calendar_2026, handler_ic):
        issue_in(world, "in_progress", category="inquiry", at=at(9, 30))
        out = StringIO()
        call_command("sweep_deadlines", "--at", "2026-10-13T09:00:00", stdout=out)
        assert "escalate_1=1" in out.getvalue()
        assert "escalate_2=1" in out.getvalue()
        assert "escalate_3" not in out.getvalue()
        assert Issue.objects.get().escalation_level == 2

    def test_a_malformed_instant_is_refused(self, db):
        with pytest.raises(CommandError, match="--at"):
            call_command("sweep_deadlines", "--at", "next tuesday")


@pytest.mark.django_db
def test_a_re_dispatched_issue_gets_its_own_warnings_and_ladder(world, categories, calendar_2026, handler_ic):
    """A lead unit's return ends a handling cycle: the next unit's clock, warnings and ladder are new."""
    # An inquiry: due at the end of Mon 12 October (Sat 10 October is worked).
    issue = issue_in(world, "in_progress", category="inquiry", at=at(10, 9))
    sweep_deadlines(at=at(10, 13))
    assert Issue.objects.get(pk=issue.pk).escalation_level == 1
    with time_machine.travel(at(10, 14), tick=False):
        services.return_issue(issue_id=issue.pk, actor=world.handler_a, reason="不属于本单位职责")
        services.dispatch_issue(issue_id=issue.pk, actor=world.staff, mode="transfer", lead_unit_id=world.dept_b.pk)
    issue.refresh_from_db()
    assert issue.escalation_level == 0
    assert issue.resolve_due_at == end_of(10, 16)

    counts = sweep_deadlines(at=at(10, 16, 9))  # within the last working day before the new deadline
    assert counts[AlertKind.WARN_RESOLVE] == 1
    assert counts[AlertKind.ESCALATE_1] == 0
    counts = sweep_deadlines(at=at(10, 17, 9))  # past it
    assert counts[AlertKind.ESCALATE_1] == 1
    assert Issue.objects.get(pk=issue.pk).escalation_level == 1
    assert IssueAlert.objects.filter(issue=issue, kind=AlertKind.ESCALATE_1).count() == 2
