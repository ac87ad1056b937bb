"""Hand-built records for the role homes, on the named cast of tests/conftest.py, at a frozen instant:
Friday 20 November 2026, noon (the fourth quarter of 2026, on the 2026 calendar)."""

import pytest
import time_machine
from django.core.management import call_command

from issues.models import ExtensionRequest, Issue, IssueCategory, IssueShare, Rating
from tests.clock import at
from workdays.calendar import clear_cache

NOW = at(11, 20, 12)


@pytest.fixture
def clock(db):
    call_command("load_holidays", "--years", "2026", verbosity=0)
    clear_cache()
    with time_machine.travel(NOW, tick=False):
        yield NOW
    clear_cache()


@pytest.fixture
def category(db):
    return IssueCategory.objects.create(code="request", name="诉求", kind="request", resolve_days=10)


def make_issue(world, category, number, *, status, enterprise=None, chain=None, level=0, lead=None, **fields):
    """An issue written as it stands (not through the workflow: the homes only read), of `enterprise`
    (甲一) on its first chain unless told; `fields` are the deadlines and instants."""
    enterprise = enterprise or world.ent_a1
    if chain is None:
        chain = enterprise.memberships.first().chain if enterprise.memberships.exists() else None
    return Issue.objects.create(
        number=number,
        enterprise=enterprise,
        chain=chain,
        category=category,
        title=f"问题{number}",
        description="说明",
        status=status,
        submitted_by=world.staff,
        escalation_level=level,
        lead_unit=lead,
        **fields,
    )


def share(issue, unit, *, role="lead", status="pending", **fields):
    return IssueShare.objects.create(issue=issue, unit=unit, role=role, status=status, **fields)


def extension(world, issue, *, status="pending"):
    return ExtensionRequest.objects.create(
        issue=issue, unit=issue.lead_unit, requested_by=world.handler_a, days=3, reason="现场勘察", status=status
    )


def rating(world, issue, satisfaction="satisfied"):
    return Rating.objects.create(issue=issue, rated_by=world.contact_a, satisfaction=satisfaction)
