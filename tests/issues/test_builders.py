"""The issue builder the other tests stand on: each state it offers is the state it says, reached
through the services (a timeline entry per step), at the instant it was asked for."""

import pytest

from issues.models import ExtensionRequest, IssueEvent, IssueShare, Rating
from tests.clock import at
from tests.issues.builders import issue_in

pytestmark = pytest.mark.django_db


def shares(issue):
    return sorted(IssueShare.objects.filter(issue=issue).values_list("unit__name", "role", "status"))


def timeline(issue):
    return list(IssueEvent.objects.filter(issue=issue).values_list("action", flat=True))


@pytest.mark.parametrize(
    ("state", "status", "steps"),
    [
        ("submitted", "submitted", ["submit"]),
        ("rejected", "rejected", ["submit", "reject"]),
        ("accepted", "accepted", ["submit", "accept"]),
        ("dispatched", "dispatched", ["submit", "accept", "dispatch"]),
        ("in_progress", "in_progress", ["submit", "accept", "dispatch", "sign"]),
        ("resolved", "resolved", ["submit", "accept", "dispatch", "sign", "resolve"]),
        ("closed", "closed", ["submit", "accept", "dispatch", "sign", "resolve", "rate"]),
        ("reopened", "in_progress", ["submit", "accept", "dispatch", "sign", "resolve", "rate"]),
    ],
)
def test_each_state_is_reached_through_the_services_at_the_instant_asked(
    world, categories, calendar_2026, state, status, steps
):
    issue = issue_in(world, state, at=at(9, 28))
    assert issue.status == status
    assert timeline(issue) == steps
    assert set(IssueEvent.objects.filter(issue=issue).values_list("created_at", flat=True)) == {at(9, 28)}
    assert issue.reopen_count == (1 if state == "reopened" else 0)
    assert (issue.enterprise, issue.submitted_by) == (world.ent_a1, world.contact_a)


def test_joint_handling_with_the_co_units_parts(world, categories, calendar_2026):
    both = [world.dept_b, world.town]
    dispatched = issue_in(world, "dispatched", mode="joint", co=both, co_parts="signed")
    assert dispatched.status == "dispatched"
    assert shares(dispatched) == [
        ("经济部门A", "lead", "pending"),
        ("经济部门B", "co", "signed"),
        ("镇街C", "co", "signed"),
    ]
    replied = issue_in(world, "in_progress", mode="joint", co_parts="replied")
    assert shares(replied) == [("经济部门A", "lead", "signed"), ("经济部门B", "co", "replied")]
    # An answer waits for the co-units' parts: the builder has them replied first.
    resolved = issue_in(world, "resolved", mode="joint")
    assert shares(resolved) == [("经济部门A", "lead", "replied"), ("经济部门B", "co", "replied")]
    assert timeline(resolved) == ["submit", "accept", "dispatch", "sign", "sign", "reply-part", "resolve"]


@pytest.mark.parametrize("decision", ["pending", "granted", "denied"])
def test_an_extension_asked_for_by_the_lead_unit(world, categories, calendar_2026, decision):
    issue = issue_in(world, "in_progress", extension=decision)
    assert ExtensionRequest.objects.get(issue=issue).status == decision


@pytest.mark.parametrize("level", [1, 2, 3])
def test_escalation_by_the_sweep_at_the_instant_the_rung_falls_due(world, categories, calendar_2026, level):
    issue = issue_in(world, "in_progress", category="inquiry", at=at(9, 30), escalation=level)
    assert issue.escalation_level == level
    due = [issue.resolve_due_at, issue.escalate_2_at, issue.escalate_3_at][level - 1]
    escalations = IssueEvent.objects.filter(issue=issue, action="escalate")
    assert [event.created_at for event in escalations] == [due] * level


def test_a_reopened_issue_escalates_in_its_new_cycle_and_an_answered_one_before_its_answer(
    world, categories, calendar_2026
):
    reopened = issue_in(world, "reopened", category="inquiry", at=at(9, 30), escalation=1)
    assert (reopened.status, reopened.reopen_count, reopened.escalation_level) == ("in_progress", 1, 1)
    assert reopened.handling_cycle == 2
    resolved = issue_in(world, "resolved", category="inquiry", at=at(9, 30), escalation=2)
    assert timeline(resolved)[-1] == "resolve"
    assert resolved.escalation_level == 2


def test_an_unrated_issue_is_closed_by_the_sweep(world, categories, calendar_2026):
    issue = issue_in(world, "closed", at=at(9, 30), satisfaction=None)
    assert issue.status == "closed"
    assert issue.closed_at == issue.rate_due_at
    assert not Rating.objects.filter(issue=issue).exists()
    assert timeline(issue)[-1] == "close"


def test_a_basically_satisfied_rating_and_a_submitter_other_than_the_contact(world, categories, calendar_2026):
    issue = issue_in(world, "closed", by=world.secretary_a, satisfaction="basically")
    assert issue.submitted_by == world.secretary_a
    assert Rating.objects.get(issue=issue).satisfaction == "basically"


def test_an_enterprise_of_chain_b_goes_to_its_chains_lead_unit(world, categories, calendar_2026):
    issue = issue_in(world, "in_progress", enterprise=world.ent_b1)
    assert issue.submitted_by == world.contact_b
    assert shares(issue) == [("经济部门B", "lead", "signed")]


@pytest.mark.parametrize(
    "options",
    [
        {"state": "waiting"},
        {"state": "dispatched", "co_parts": "replied", "mode": "joint"},
        {"state": "dispatched", "extension": "pending"},
        {"state": "accepted", "escalation": 1},
        {"state": "in_progress", "escalation": 4},
        {"state": "resolved", "mode": "joint", "co_parts": "signed"},
    ],
)
def test_a_state_the_workflow_cannot_have_is_refused(world, categories, options):
    with pytest.raises(ValueError):  # noqa: PT011 - the message names the case; the type is the contract
        issue_in(world, **options)
