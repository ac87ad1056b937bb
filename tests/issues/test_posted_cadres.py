"""Posted cadres and issues (issue 8): a first secretary raises an issue for the enterprise they are
posted to — it enters the workflow as submitted by them on its behalf — and follows it as it is
routed; a park chief raises issues for the park's enterprises and supervises the park's escalated
issues, and only their park's."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from issues import services
from issues.models import Issue, IssueEvent, Status
from issues.workflow import Action
from secretaries import services as posting_services
from secretaries.models import Posting
from tests import factories as f
from tests.clock import at
from tests.issues.builders import issue_in

pytestmark = pytest.mark.django_db


def submit(world, actor, enterprise):
    return services.submit_issue(
        actor=actor,
        enterprise_id=enterprise.pk,
        category_code="request",
        title="用工招聘难",
        description="缺少技术工人",
    )


def test_a_first_secretary_raises_an_issue_on_the_enterprises_behalf_and_sees_it_routed(
    world, categories, calendar_2026, api
):
    issue = submit(world, world.secretary_a, world.ent_a1)
    assert (issue.enterprise, issue.submitted_by, issue.status) == (world.ent_a1, world.secretary_a, Status.SUBMITTED)
    services.accept_issue(issue_id=issue.pk, actor=world.staff)
    services.dispatch_issue(issue_id=issue.pk, actor=world.staff, mode="transfer", lead_unit_id=world.dept_a.pk)
    api.force_authenticate(world.secretary_a)
    detail = api.get(reverse("issue-detail", args=[issue.pk])).json()
    assert detail["status"] == Status.DISPATCHED
    assert Issue.objects.visible_to(world.handler_a).filter(pk=issue.pk).exists()
    listed = api.get(reverse("issue-list"), {"enterprise": world.ent_a1.pk}).json()
    assert [row["id"] for row in listed["results"]] == [issue.pk]


def test_a_first_secretary_may_not_raise_for_an_enterprise_they_are_not_posted_to(world, categories, calendar_2026):
    with pytest.raises(ValidationError) as error:
        submit(world, world.secretary_a, world.ent_b1)
    assert list(error.value.message_dict) == ["enterprise"]


def test_once_the_posting_ends_the_secretary_no_longer_raises_for_it(world, categories, calendar_2026):
    posting = Posting.objects.get(cadre__user=world.secretary_a)
    posting_services.end_posting(posting_id=posting.pk, actor=world.staff, reason="期满", ended_on=date(2026, 9, 1))
    with pytest.raises(ValidationError):
        submit(world, world.secretary_a, world.ent_a1)


def test_the_submit_page_is_prefilled_with_the_posting_enterprise(world, categories, client):
    client.force_login(world.secretary_a)
    response = client.get(reverse("issues:issue-submit"), {"enterprise": world.ent_a1.pk})
    assert response.context["form"].initial["enterprise"] == world.ent_a1.pk
    other = client.get(reverse("issues:issue-submit"), {"enterprise": world.ent_b1.pk})
    assert other.context["form"].initial.get("enterprise") != world.ent_b1.pk


def test_a_park_chief_raises_issues_for_the_parks_enterprises_only(world, categories, calendar_2026):
    issue = submit(world, world.chief_a, world.ent_a1)  # ent_a1 is in park_a
    assert issue.submitted_by == world.chief_a
    for outside in (world.ent_b1, world.ent_a2):  # park_b; no park
        with pytest.raises(ValidationError):
            submit(world, world.chief_a, outside)


def test_a_park_chief_sees_only_the_parks_issues(world, categories, calendar_2026):
    inside = issue_in(world, "submitted")
    outside = issue_in(world, "submitted", enterprise=world.ent_b1)
    elsewhere = issue_in(world, "submitted", enterprise=world.ent_a2)
    visible = set(Issue.objects.visible_to(world.chief_a))
    assert inside in visible
    assert outside not in visible
    assert elsewhere not in visible


def test_a_park_chief_supervises_an_escalated_issue_of_the_park(world, categories, calendar_2026):
    issue = issue_in(world, "in_progress", at=at(9, 28), escalation=1)
    services.supervise_issue(
        issue_id=issue.pk,
        actor=world.chief_a,
        instruction="请加快办理",
        reply_by=timezone.localdate() + timedelta(days=3),
    )
    event = IssueEvent.objects.filter(issue=issue, action=Action.SUPERVISE).get()
    assert event.actor == world.chief_a


def test_a_chief_of_another_park_may_not_supervise(world, categories, calendar_2026):
    issue = issue_in(world, "in_progress", at=at(9, 28), escalation=1)
    other_chief = f.UserFactory(roles=[Role.PARK_CHIEF])
    world.park_b.chiefs.add(other_chief)
    with pytest.raises(PermissionDenied):
        services.supervise_issue(
            issue_id=issue.pk, actor=other_chief, instruction="督办", reply_by=timezone.localdate() + timedelta(days=3)
        )
