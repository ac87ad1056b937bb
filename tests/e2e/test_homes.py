"""Each role's home in Chromium (issue 14), on a desktop and a phone: no serious axe-core finding,
no console error, no sideways scrolling, and on the phone one column: the tiles, cards and issues of
each list one under the other."""

from datetime import timedelta

import pytest
from django.utils import timezone

from issues.models import IssueCategory, Status
from tests import factories as f
from tests.e2e.test_accessibility import VIEWPORTS, axe_findings, report, sign_in
from tests.home.conftest import extension, make_issue, share

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROLES = ["staff", "leader_a", "handler_a", "chief_a", "secretary_a", "contact_a"]


@pytest.fixture
def records(world):
    """Something on every role's home: issues in handling, overdue, escalated, resolved and waiting for
    a rating, a pending extension, the unit's shares, a party organization."""
    w = world
    category = IssueCategory.objects.create(code="request", name="诉求", kind="request", resolve_days=10)
    now = timezone.now()
    make_issue(w, category, "S1", status=Status.SUBMITTED, accept_due_at=now + timedelta(days=1))
    late = make_issue(
        w, category, "L1", status=Status.IN_PROGRESS, level=2, lead=w.dept_a, resolve_due_at=now - timedelta(days=3)
    )
    share(late, w.dept_a, status="signed", signed_at=now - timedelta(days=9), due_at=now - timedelta(days=3))
    extension(w, late)
    pending = make_issue(
        w, category, "D1", status=Status.DISPATCHED, lead=w.dept_a, sign_due_at=now + timedelta(days=1)
    )
    share(pending, w.dept_a, sign_due_at=now + timedelta(days=1))
    make_issue(
        w, category, "R1", status=Status.RESOLVED, lead=w.dept_a, resolved_at=now, rate_due_at=now + timedelta(days=5)
    )
    f.PartyOrganizationFactory(covers=[w.ent_a1], unit=w.dept_a)
    return w


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("who", ROLES)
def test_each_roles_home_reads_well_on_a_desktop_and_in_one_column_on_a_phone(
    page, live_server, records, who, viewport
):
    size = VIEWPORTS[viewport]
    page.set_viewport_size(size)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, who)  # lands on the home
    assert page.locator(".home-panel").count() >= 1
    findings = axe_findings(page)
    assert not findings, report({"/": findings})
    assert not errors, errors
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    if viewport == "phone":
        # Each list of tiles, cards or issues: its items one under the other.
        lefts = page.evaluate(
            "[...document.querySelectorAll('.home-counts, .home .cards, .home-issues')]"
            ".map(list => [...list.children].map(e => Math.round(e.getBoundingClientRect().left)))"
        )
        assert any(lefts), "no tile, card or issue on the home"
        for items in lefts:
            assert len(set(items)) <= 1, lefts
