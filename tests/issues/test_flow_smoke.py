import pytest

from issues import services
from issues.models import IssueEvent, Status
from tests.clock import at
from tests.issues.builders import issue_in


@pytest.mark.django_db
def test_transfer_flow_end_to_end(world, categories, calendar_2026):
    issue = issue_in(world, "submitted", at=at(9, 30))  # by contact_a for ent_a1
    assert issue.number.startswith("LZ-2026-")
    assert issue.chain == world.chain_a
    services.accept_issue(issue_id=issue.pk, actor=world.staff)
    services.dispatch_issue(issue_id=issue.pk, actor=world.staff, mode="transfer", lead_unit_id=world.dept_a.pk)
    services.sign_issue(issue_id=issue.pk, actor=world.handler_a)
    services.resolve_issue(issue_id=issue.pk, actor=world.handler_a, answer="已协调自然资源部门加快审批")
    issue = services.rate_issue(issue_id=issue.pk, actor=world.contact_a, satisfaction="satisfied")
    assert issue.status == Status.CLOSED
    actions = list(IssueEvent.objects.filter(issue=issue).values_list("action", flat=True))
    assert actions == ["submit", "accept", "dispatch", "sign", "resolve", "rate"]
