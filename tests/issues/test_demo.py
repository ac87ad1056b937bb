"""The issue demo of `manage.py seed_demo`: a believable year (every status and rung of the ladder, on
time and late, rated and not, extensions, joint handling, reopened, supervised and urged issues)
whose timelines run in order and agree with the deadline sweep; `--issues N` gives N."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from chainparty.dates import SHANGHAI
from issues.demo import year_issue_count
from issues.demo_data import COMMITTEE_URGE_NOTE, DISTRICT_URGE_NOTE, YEAR_ISSUES
from issues.models import (
    AlertKind,
    ExtensionStatus,
    Issue,
    IssueAlert,
    IssueEvent,
    IssueShare,
    Rating,
    Satisfaction,
    ShareRole,
    ShareStatus,
    Status,
    Supervision,
    Urge,
)
from issues.sweep import STEPS, sweep_deadlines
from issues.workflow import Action
from tests.conftest import rolled_back
from workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db

WARNINGS = {AlertKind.WARN_ACCEPT, AlertKind.WARN_SIGN, AlertKind.WARN_RESOLVE}


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The plain `seed_demo` once for the class's tests, which read what it left (the sweep's
    test writes nothing, as it checks; whatever a test writes rolls back to the seeded year)."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            seed()
        yield


@pytest.mark.usefixtures("demo")
class TestTheDemoYear:
    """What one `seed_demo` leaves, seeded once for the class: see `demo`."""

    def test_the_year_holds_every_status_and_every_rung_of_the_ladder(self):
        assert year_issue_count() == YEAR_ISSUES
        assert set(Issue.objects.values_list("status", flat=True)) == set(Status.values)
        handling = Issue.objects.filter(status__in=[Status.DISPATCHED, Status.IN_PROGRESS])
        assert {0, 1, 2, 3} <= set(handling.values_list("escalation_level", flat=True))
        assert set(IssueAlert.objects.values_list("kind", flat=True)) == set(AlertKind.values)

    def test_the_year_is_on_time_and_late_rated_and_unrated_across_chains_enterprises_and_units(self):
        now = timezone.now()
        answered = list(Issue.objects.filter(resolved_at__isnull=False).values_list("resolved_at", "resolve_due_at"))
        on_time = sum(1 for resolved, due in answered if resolved <= due)
        assert 0.6 * len(answered) < on_time < len(answered)
        assert Issue.objects.overdue(now).exists()
        assert set(Rating.objects.values_list("satisfaction", flat=True)) == set(Satisfaction.values)
        assert IssueAlert.objects.filter(kind=AlertKind.CLOSE_UNRATED).exists()  # closed without a rating
        assert Issue.objects.filter(status=Status.RESOLVED, ratings__isnull=True).exists()  # waiting for one
        assert Issue.objects.filter(reopen_count__gt=0).exists()
        assert {ExtensionStatus.GRANTED, ExtensionStatus.DENIED} <= set(
            Issue.objects.values_list("extension_requests__status", flat=True)
        )
        co_parts = IssueShare.objects.filter(role=ShareRole.CO)
        assert co_parts.filter(status=ShareStatus.REPLIED).exists()
        assert co_parts.exclude(status=ShareStatus.REPLIED).exists()
        assert Supervision.objects.filter(replied_at__isnull=False).exists()
        assert Supervision.objects.filter(replied_at__isnull=True).exists()
        assert {"committee", "district"} <= set(Urge.objects.values_list("by", flat=True))
        assert Issue.objects.values("chain").distinct().count() >= 6
        assert Issue.objects.values("enterprise").distinct().count() >= 50
        assert IssueShare.objects.values("unit").distinct().count() >= 10
        # Spread over the year, not all today.
        assert Issue.objects.filter(created_at__lt=now - timedelta(days=300)).exists()

    def test_every_demo_timeline_runs_in_order(self):
        now = timezone.now()
        events: dict[int, list[IssueEvent]] = {}
        for event in IssueEvent.objects.order_by("pk"):
            events.setdefault(event.issue_id, []).append(event)
        created = dict(Issue.objects.values_list("pk", "created_at"))
        assert set(events) == set(created)
        for issue_id, timeline in events.items():
            times = [event.created_at for event in timeline]
            assert times == sorted(times), issue_id
            assert times[-1] <= now, issue_id
            actions = [event.action for event in timeline]
            assert actions[0] == Action.SUBMIT, issue_id
            # Listed by when it was submitted (a complaint session's entries within the same request).
            assert abs(created[issue_id] - times[0]) < timedelta(seconds=1), issue_id
            if Action.DISPATCH in actions:
                assert Action.ACCEPT in actions[: actions.index(Action.DISPATCH)], issue_id
            for before, after in zip(timeline, timeline[1:], strict=False):
                if after.from_status and before.to_status:
                    assert after.from_status == before.to_status or after.action in (Action.WARN, Action.ESCALATE), (
                        issue_id,
                        before.action,
                        after.action,
                    )

    def test_no_warning_after_its_deadline_and_no_escalation_before_its_rung(self):
        for alert in IssueAlert.objects.all():
            assert alert.created_at >= alert.due_at, alert
            if alert.kind in WARNINGS:
                # The warning falls due one working day before the deadline it warns of.
                assert alert.created_at < add_working_days(alert.due_at, 1), alert
        assert (
            IssueAlert.objects.count()
            == IssueEvent.objects.filter(action__in=[Action.WARN, Action.ESCALATE, Action.CLOSE]).count()
        )

    def test_the_sweep_finds_nothing_left_to_do_after_the_seed(self):
        """The bulk-built year follows the sweep's rules: every alert due is there already."""
        assert {kind: n for kind, n in sweep_deadlines().items() if n} == {}
        assert len(STEPS) == len(AlertKind.values)


def test_issues_n_gives_n_and_a_second_run_adds_nothing():
    seed("--issues", "40")
    assert year_issue_count() == 40
    seed("--issues", "70")
    assert year_issue_count() == 70
    before = Issue.objects.count(), IssueEvent.objects.count()

    output = seed("--issues", "70")

    assert (Issue.objects.count(), IssueEvent.objects.count()) == before
    assert "Nothing to do" in output
    seed("--issues", "10")  # a smaller N removes nothing
    assert year_issue_count() == 70


@pytest.mark.parametrize("seconds", [0, 20, 39])
def test_the_demo_seeds_in_the_first_minute_after_midnight(seconds):
    """The days' deadlines fall at midnight, Shanghai: a seed run within the sweep's delay after them
    still finds the ladder its scenarios urge and supervise (it used to stop there: InvalidTransition)."""
    midnight = datetime(2026, 12, 8, tzinfo=SHANGHAI)  # a Tuesday
    with time_machine.travel(midnight + timedelta(seconds=seconds), tick=False):
        seed("--issues", "10")
    # The committee urged the level-1 issue, the district the level-3 one.
    notes = set(Urge.objects.filter(note__in=[COMMITTEE_URGE_NOTE, DISTRICT_URGE_NOTE]).values_list("note", flat=True))
    assert notes == {COMMITTEE_URGE_NOTE, DISTRICT_URGE_NOTE}
