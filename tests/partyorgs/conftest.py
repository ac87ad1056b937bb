"""The party-organization cast, on top of the shared `world`.

`orgs` adds a small tree and the enterprises needed to hand-count coverage:

    committee_x (covers unit ic_a)            -- no enterprise
      ├─ branch_a1 (covers ent_a1)            -- chain A, park A
      └─ joint_b (covers ent_b1, ent_b2)      -- chain B, park B

ent_a2 (chain A) has no organization but an active instructor: work coverage.
ent_b3 (chain B) had an instructor whose posting's last day was 2025-12-31: none.
ent_c (park A, no chain) has a posting that starts next year: none.
ent_d (no chain, no park) has a posting marked ended: none.

Registry: 7 enterprises; organization 3 (a1, b1, b2), work 1 (a2), none 3 (b3, c, d).
"""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.roles import Role
from partyorgs import services
from partyorgs.models import OrgKind
from secretaries.models import PostingKind, PostingStatus
from tests import factories as f

TODAY = date(2026, 12, 6)

# Who sees which organizations of the cast (the "cannot see it" oracle of the page and API tests).
SEES = {
    "leader_a": ["甲一企业党支部"],
    "leader_b": ["乙企业联合党支部"],
    "chief_a": ["甲一企业党支部"],
    "secretary_a": ["甲一企业党支部"],
    "contact_a": ["甲一企业党支部"],
    "contact_b": ["乙企业联合党支部"],
    "handler_a": ["甲一企业党支部"],
    "handler_town": [],
    "instructor": [],  # posted to enterprises without an organization
    "outsider": [],
}


@pytest.fixture
def orgs(world):
    w = world
    ent_b2 = f.EnterpriseFactory(name="乙二企业", park=w.park_b)
    ent_b3 = f.EnterpriseFactory(name="乙三企业")
    f.MembershipFactory(enterprise=ent_b2, segment=w.seg_b, chain=w.chain_b)
    f.MembershipFactory(enterprise=ent_b3, segment=w.seg_b, chain=w.chain_b)
    ent_c = f.EnterpriseFactory(name="丙企业", park=w.park_a)
    ent_d = f.EnterpriseFactory(name="丁企业")

    instructor = f.UserFactory(username="instructor", roles=[Role.FIRST_SECRETARY])
    f.PostingFactory(cadre=instructor, enterprise=w.ent_a2, kind=PostingKind.INSTRUCTOR)
    f.PostingFactory(
        cadre=instructor,
        enterprise=ent_b3,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
    )
    f.PostingFactory(cadre=instructor, enterprise=ent_d, status=PostingStatus.ENDED)
    f.PostingFactory(cadre=instructor, enterprise=ent_c, start_date=date(2027, 3, 1))

    committee_x = f.PartyOrganizationFactory(
        name="行业党委A党委", kind=OrgKind.COMMITTEE, unit=w.ic_a, formal_members=5, probationary_members=1
    )
    branch_a1 = f.PartyOrganizationFactory(
        name="甲一企业党支部", parent=committee_x, covers=[w.ent_a1], formal_members=8, probationary_members=2
    )
    joint_b = f.PartyOrganizationFactory(
        name="乙企业联合党支部",
        kind=OrgKind.JOINT_BRANCH,
        parent=committee_x,
        covers=[w.ent_b1, ent_b2],
        formal_members=4,
    )
    return SimpleNamespace(
        **vars(w),
        ent_b2=ent_b2,
        ent_b3=ent_b3,
        ent_c=ent_c,
        ent_d=ent_d,
        instructor=instructor,
        committee_x=committee_x,
        branch_a1=branch_a1,
        joint_b=joint_b,
    )


@pytest.fixture
def paired(orgs):
    """dept_a's organization paired with branch_a1 on chain A; joint_b (chain B) unpaired."""
    orgs.dept_org = f.PartyOrganizationFactory(name="经济部门A机关党支部", unit=orgs.dept_a)
    orgs.pairing = services.create_pairing(
        actor=orgs.staff,
        department_org=orgs.dept_org,
        enterprise_org=orgs.branch_a1,
        chain=orgs.chain_a,
        start_on=date(2026, 1, 1),
        goals="联学共建",
    )
    return orgs


def queries_of(call) -> int:
    """The number of queries `call()` runs (a request through the test client, say). The log is
    emptied first: each request empties it itself (request_started), which would otherwise shift
    the capture's starting index and count nothing."""
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def refused(call) -> dict[str, list[str]]:
    """The field messages of the ValidationError that `call()` raises (in English)."""
    with translation.override("en"), pytest.raises(ValidationError) as info:
        call()
    return info.value.message_dict
