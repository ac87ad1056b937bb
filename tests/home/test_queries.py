"""Each role's home costs a fixed number of queries, whatever the data: the same count with a few
records and with many more (chains, parks and postings past the cards shown, issues, shares and
meetings of every kind the home counts). The working-day calendar, which the lights read once per
process (workdays.calendar), is loaded by a first request before each count.

The queries every signed-in page makes: the session, the user, their roles, the unread count of the
menu and the greeting's unit or enterprise (5). Then, per role:
- district staff (+9): to accept, to dispatch, extensions to decide, escalated to the district,
  meetings without minutes (one COUNT each); the district's issue figures (2) and coverage (1); the
  menu's 督办件 count;
- a chain leader (+5): the chains with their facts (2: the chains, their masters), their issues (1)
  and coverage (1), grouped; the 督办件 count (the menu's, read once);
- a unit handler (+5): the unit's KPIs (3: the unit, its figures, its urges), the queue's parts (1),
  the 督办件 count (1);
- a park chief (+3): the parks with their enterprises (1), their issues grouped (1), 督办件 (1);
- a first secretary (+2): the postings (1), their enterprises' open issues grouped (1);
- an enterprise contact (+3): the counts (1), the issues in handling (1), those to rate (1).
"""

from datetime import date

import pytest
from django.urls import reverse

from chains.models import LeaderRole
from issues.models import Status
from meetings.models import Meeting
from tests import factories as f
from tests.clock import at, end_of
from tests.home.conftest import extension, make_issue, rating, share

pytestmark = pytest.mark.django_db

FEW, MANY = 2, 15  # MANY is past the 12 cards a home shows (chainparty.views.HOME_CARDS)


def grow_district(world, category, n, start):
    for i in range(start, start + n):
        enterprise = f.EnterpriseFactory()
        chain = f.ChainFactory(lead_unit=world.dept_a)
        make_issue(world, category, f"S{i}", status=Status.SUBMITTED, enterprise=enterprise)
        make_issue(world, category, f"A{i}", status=Status.ACCEPTED, enterprise=enterprise)
        pending = make_issue(world, category, f"D{i}", status=Status.DISPATCHED, lead=world.dept_a)
        extension(world, pending)
        make_issue(world, category, f"L{i}", status=Status.IN_PROGRESS, level=3, resolve_due_at=end_of(11, 10))
        make_issue(world, category, f"R{i}", status=Status.CLOSED, resolve_due_at=end_of(11, 17), resolved_at=at(11, 2))
        Meeting.objects.create(chain=chain, quarter="2026Q4", title=f"会议{i}", starts_at=at(11, 2, 14), status="held")


def grow_leader(world, category, n, start):
    for i in range(start, start + n):
        segment = f.SegmentFactory()
        enterprise = f.EnterpriseFactory()
        f.MembershipFactory(enterprise=enterprise, segment=segment, chain=segment.chain)
        f.LeadershipFactory(chain=segment.chain, user=world.leader_a, role=LeaderRole.DEPUTY)
        f.ChainMasterFactory(chain=segment.chain, enterprise=enterprise, status="designated")
        f.PartyOrganizationFactory(covers=[enterprise])
        make_issue(world, category, f"C{i}", status=Status.IN_PROGRESS, enterprise=enterprise, level=2)
        make_issue(world, category, f"A{i}", status=Status.SUBMITTED)


def grow_queue(world, category, n, start):
    for i in range(start, start + n):
        pending = make_issue(world, category, f"P{i}", status=Status.DISPATCHED, sign_due_at=end_of(11, 18))
        share(pending, world.dept_a, sign_due_at=end_of(11, 18))
        signed = make_issue(world, category, f"G{i}", status=Status.IN_PROGRESS, resolve_due_at=end_of(11, 19))
        share(signed, world.dept_a, status="signed", signed_at=at(11, 3), due_at=end_of(11, 19))
        joint = make_issue(world, category, f"J{i}", status=Status.IN_PROGRESS, dispatch_mode="joint")
        share(joint, world.dept_b, status="signed", signed_at=at(11, 3))
        share(joint, world.dept_a, role="co", status="signed", signed_at=at(11, 3), due_at=end_of(11, 27))
        done = make_issue(world, category, f"F{i}", status=Status.CLOSED, resolve_due_at=end_of(11, 17))
        share(done, world.dept_a, status="replied", signed_at=at(11, 3), replied_at=at(11, 16))
        rating(world, done)


def grow_parks(world, category, n, start):
    for i in range(start, start + n):
        park = f.ParkFactory()
        park.chiefs.add(world.chief_a)
        enterprise = f.EnterpriseFactory(park=park)
        make_issue(world, category, f"K{i}", status=Status.IN_PROGRESS, enterprise=enterprise, level=1)
        make_issue(world, category, f"M{i}", status=Status.SUBMITTED)


def grow_postings(world, category, n, start):
    for i in range(start, start + n):
        enterprise = f.EnterpriseFactory()
        f.PostingFactory(cadre=world.secretary_a, enterprise=enterprise, start_date=date(2026, 3, 1))
        make_issue(world, category, f"Q{i}", status=Status.SUBMITTED, enterprise=enterprise)


def grow_own_issues(world, category, n, start):
    for i in range(start, start + n):
        make_issue(world, category, f"E{i}", status=Status.SUBMITTED, accept_due_at=end_of(11, 23))
        make_issue(world, category, f"H{i}", status=Status.IN_PROGRESS, resolve_due_at=end_of(11, 19))
        make_issue(world, category, f"T{i}", status=Status.RESOLVED, rate_due_at=end_of(11, 25))


def shown(response):
    """How much the home showed, to check that the data did grow under it."""
    [panel] = response.context["panels"]
    for key in ("to_accept", "cards", "queue", "parks", "postings", "counts"):
        if key in panel:
            value = panel[key]
            return value if isinstance(value, int) else len(value) if isinstance(value, list) else dict(value)
    raise AssertionError(panel)


@pytest.mark.parametrize(
    ("who", "grow", "queries"),
    [
        ("staff", grow_district, 14),
        ("leader_a", grow_leader, 10),
        ("handler_a", grow_queue, 12),
        ("chief_a", grow_parks, 8),
        ("secretary_a", grow_postings, 7),
        ("contact_a", grow_own_issues, 8),
    ],
)
def test_each_roles_home_costs_a_fixed_number_of_queries(
    client, world, category, clock, django_assert_num_queries, who, grow, queries
):
    client.force_login(getattr(world, who))
    seen = []
    grown = 0
    for size in (FEW, MANY):
        grow(world, category, size - grown, grown)
        grown = size
        client.get(reverse("home"))  # the calendar, once per process
        with django_assert_num_queries(queries):
            response = client.get(reverse("home"))
        seen.append(shown(response))
    assert seen[0] != seen[1], seen  # the home did show more
