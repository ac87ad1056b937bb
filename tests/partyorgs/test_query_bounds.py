"""Query counts of the party-organization pages and API routes that the other modules' bounds leave
out: the forms (whose choices list every organization, department and chain), the pairing and plan
pages with their activities and targets, the descendants route and the details. Each is asked after
the data grew a little and again after it grew more: the count must be the same, and small."""

from datetime import date

import pytest
from django.urls import reverse

from partyorgs.models import MeetingKind, OrgMeeting, PairingActivity, PlanTarget
from tests import factories as f
from tests.partyorgs.conftest import queries_of

pytestmark = pytest.mark.django_db


def held(org, kind, day, by) -> OrgMeeting:
    return OrgMeeting.objects.create(organization=org, kind=kind, held_on=day, topic="t", attendance=3, recorded_by=by)


@pytest.fixture
def filled(paired):
    """The pairing cast (dept_a's organization ⇄ branch_a1 on chain A) with a plan of chain A's master
    (branch_a1) and a meeting of branch_a1."""
    paired.plan = paired.branch_a1.party_plans.create(
        chain=paired.chain_a, year=2026, title="年度规划", filed_on=date(2026, 2, 1), filed_by=paired.staff
    )
    paired.meeting = held(paired.branch_a1, MeetingKind.THEME_DAY, date(2026, 11, 5), paired.staff)
    return paired


def grow(world, n: int) -> None:
    """n more of everything a page might list: organizations below committee_x, each covering a new
    enterprise on chain A (and one on chain B too), departments' organizations, chains, the pairing's
    activities, the plan's targets and branch_a1's meetings."""
    for _ in range(n):
        enterprise = f.EnterpriseFactory(park=world.park_a)
        f.MembershipFactory(enterprise=enterprise, segment=world.seg_a, chain=world.chain_a)
        f.MembershipFactory(enterprise=enterprise, segment=world.seg_b, chain=world.chain_b)
        f.PartyOrganizationFactory(parent=world.committee_x, covers=[enterprise])
        f.PartyOrganizationFactory(kind="committee", parent=world.branch_a1.parent, unit=f.UnitFactory())
        f.ChainFactory()
        PairingActivity.objects.create(
            pairing=world.pairing, programme="training", held_on=date(2026, 3, 1), title="t", recorded_by=world.staff
        )
        PlanTarget.objects.create(plan=world.plan, description="d", weight=1)
        held(world.branch_a1, MeetingKind.MEMBER_MEETING, date(2026, 10, 1), world.staff)


PAGES = {
    "org-create": (lambda w: reverse("partyorgs:org-create"), "staff"),
    "org-edit": (lambda w: reverse("partyorgs:org-edit", args=[w.committee_x.pk]), "staff"),
    "pairing-create": (lambda w: reverse("partyorgs:pairing-create"), "staff"),
    "pairing-detail (staff)": (lambda w: reverse("partyorgs:pairing-detail", args=[w.pairing.pk]), "staff"),
    "pairing-detail (contact)": (lambda w: reverse("partyorgs:pairing-detail", args=[w.pairing.pk]), "contact_a"),
    "plan-detail (staff)": (lambda w: reverse("partyorgs:plan-detail", args=[w.plan.pk]), "staff"),
    "plan-detail (leader)": (lambda w: reverse("partyorgs:plan-detail", args=[w.plan.pk]), "leader_a"),
    "plan-file": (lambda w: reverse("partyorgs:plan-file", args=[w.chain_a.code]), "contact_a"),
    "org-detail with meetings": (lambda w: reverse("partyorgs:org-detail", args=[w.branch_a1.pk]), "contact_a"),
    "meetings": (lambda w: reverse("partyorgs:meetings"), "leader_a"),
}
API = {
    "party-organization-detail": (lambda w: reverse("party-organization-detail", args=[w.committee_x.pk]), "staff"),
    "party-organization-descendants (staff)": (
        lambda w: reverse("party-organization-descendants", args=[w.committee_x.pk]),
        "staff",
    ),
    "party-organization-descendants (leader)": (
        lambda w: reverse("party-organization-descendants", args=[w.branch_a1.pk]),
        "leader_a",
    ),
    "org-meeting-detail": (lambda w: reverse("org-meeting-detail", args=[w.meeting.pk]), "contact_a"),
    "pairing-detail": (lambda w: reverse("pairing-detail", args=[w.pairing.pk]), "leader_a"),
    "party-plan-detail": (lambda w: reverse("party-plan-detail", args=[w.plan.pk]), "leader_a"),
}


def _bounded(django_assert_num_queries, call, world, most: int) -> None:
    grow(world, 2)
    call()  # warm what is cached per process (content types, the session)
    few = queries_of(call)
    grow(world, 5)
    call()
    with django_assert_num_queries(few):
        assert call().status_code == 200
    assert few <= most, few


@pytest.mark.parametrize("name", PAGES)
def test_pages_do_not_grow_with_the_data(client, filled, django_assert_num_queries, name):
    url, who = PAGES[name]
    client.force_login(getattr(filled, who))
    _bounded(django_assert_num_queries, lambda: client.get(url(filled)), filled, most=20)


@pytest.mark.parametrize("name", API)
def test_api_routes_do_not_grow_with_the_data(api, filled, django_assert_num_queries, name):
    url, who = API[name]
    api.force_authenticate(getattr(filled, who))
    _bounded(django_assert_num_queries, lambda: api.get(url(filled)), filled, most=10)
