"""The tree's writes (design §4.4): every bad input refused with its field and reason, all at once,
nothing written; cycles; the joint-branch limit; term lengths."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from partyorgs import services
from partyorgs.models import EnterprisePartyProfile, OrgCoverage, OrgKind, PartyOrganization
from tests import factories as f
from tests.partyorgs.conftest import refused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def create(world, **data):
    return services.create_organization(actor=world.staff, data={"name": "新党支部", "kind": OrgKind.BRANCH, **data})


class TestCreate:
    def test_creates_with_its_coverage_and_the_kinds_term(self, orgs):
        org = create(
            orgs, parent=orgs.committee_x, enterprises=[orgs.ent_c], formal_members=4, term_started_on=date(2025, 3, 1)
        )
        assert list(org.enterprises.all()) == [orgs.ent_c]
        assert org.term_ends_on == date(2028, 3, 1)  # a branch serves 3 years

    def test_a_committee_serves_five_years(self, orgs):
        org = create(orgs, kind=OrgKind.COMMITTEE, term_started_on=date(2024, 2, 29))
        assert org.term_ends_on == date(2029, 2, 28)

    def test_an_explicit_term_end_is_kept(self, orgs):
        org = create(orgs, term_started_on=date(2025, 3, 1), term_ends_on=date(2027, 6, 30))
        assert org.term_ends_on == date(2027, 6, 30)

    def test_only_district_staff_create(self, orgs):
        with pytest.raises(PermissionDenied):
            services.create_organization(actor=orgs.leader_a, data={"name": "x", "kind": OrgKind.BRANCH})


class TestBadInput:
    def test_negative_counts(self, orgs):
        errors = refused(lambda: create(orgs, formal_members=-1, probationary_members=-2))
        assert errors["formal_members"] == ["Give a whole number, 0 or more."]
        assert errors["probationary_members"] == ["Give a whole number, 0 or more."]

    def test_probationary_members_without_formal_members(self, orgs):
        errors = refused(lambda: create(orgs, formal_members=0, probationary_members=1))
        assert errors == {"probationary_members": ["Probationary members need at least one formal member."]}

    def test_a_term_ending_before_it_starts(self, orgs):
        errors = refused(lambda: create(orgs, term_started_on=date(2026, 5, 1), term_ends_on=date(2026, 4, 30)))
        assert errors == {"term_ends_on": ["The term must end after it starts."]}
        errors = refused(lambda: create(orgs, term_started_on=date(2026, 5, 1), term_ends_on=date(2026, 5, 1)))
        assert list(errors) == ["term_ends_on"]

    def test_a_joint_branch_covers_five_enterprises_at_most(self, orgs):
        five = [f.EnterpriseFactory() for _ in range(5)]
        assert create(orgs, kind=OrgKind.JOINT_BRANCH, enterprises=five).enterprises.count() == 5
        errors = refused(
            lambda: create(orgs, name="第二联合支部", kind=OrgKind.JOINT_BRANCH, enterprises=[*five, orgs.ent_d])
        )
        assert list(errors) == ["enterprises"]
        assert "no more than 5 enterprises" in errors["enterprises"][0]
        assert "6 given" in errors["enterprises"][0]

    def test_only_a_joint_branch_covers_several(self, orgs):
        errors = refused(lambda: create(orgs, enterprises=[orgs.ent_c, orgs.ent_d]))
        assert list(errors) == ["enterprises"]

    def test_enterprises_or_a_unit_not_both(self, orgs):
        assert list(refused(lambda: create(orgs, unit=orgs.dept_a, enterprises=[orgs.ent_c]))) == ["unit"]

    def test_a_branch_is_nobodys_superior(self, orgs):
        assert list(refused(lambda: create(orgs, parent=orgs.branch_a1))) == ["parent"]

    def test_every_error_at_once_and_nothing_written(self, orgs):
        before = (PartyOrganization.objects.count(), OrgCoverage.objects.count())
        six = [f.EnterpriseFactory() for _ in range(6)]
        errors = refused(
            lambda: create(
                orgs,
                name="甲一企业党支部",  # taken
                kind=OrgKind.JOINT_BRANCH,
                enterprises=six,
                formal_members=-3,
                term_started_on=date(2026, 1, 1),
                term_ends_on=date(2025, 1, 1),
            )
        )
        assert set(errors) == {"name", "enterprises", "formal_members", "term_ends_on"}
        assert (PartyOrganization.objects.count(), OrgCoverage.objects.count()) == before


class TestUpdateAndCycles:
    def test_partial_update_keeps_the_rest(self, orgs):
        org = services.update_organization(actor=orgs.staff, organization=orgs.branch_a1, data={"secretary": "李书记"})
        assert (org.secretary, org.formal_members, list(org.enterprises.all())) == ("李书记", 8, [orgs.ent_a1])

    def test_an_organization_cannot_be_its_own_superior(self, orgs):
        errors = refused(
            lambda: services.update_organization(
                actor=orgs.staff, organization=orgs.committee_x, data={"parent": orgs.committee_x}
            )
        )
        assert list(errors) == ["parent"]

    def test_an_organization_cannot_sit_below_its_own_descendant(self, orgs):
        middle = create(orgs, name="中间党总支", kind=OrgKind.GENERAL_BRANCH, parent=orgs.committee_x)
        lower = create(orgs, name="下级党委", kind=OrgKind.COMMITTEE, parent=middle)
        errors = refused(
            lambda: services.update_organization(
                actor=orgs.staff, organization=orgs.committee_x, data={"parent": lower}
            )
        )
        assert "cannot be its own superior" in errors["parent"][0]
        orgs.committee_x.refresh_from_db()
        assert orgs.committee_x.parent is None

    def test_a_branch_with_organizations_below_cannot_become_a_branch(self, orgs):
        errors = refused(
            lambda: services.update_organization(
                actor=orgs.staff, organization=orgs.committee_x, data={"kind": OrgKind.BRANCH}
            )
        )
        assert list(errors) == ["kind"]

    def test_moving_the_coverage(self, orgs):
        services.update_organization(
            actor=orgs.staff, organization=orgs.joint_b, data={"enterprises": [orgs.ent_b2, orgs.ent_b3]}
        )
        assert set(orgs.joint_b.enterprises.all()) == {orgs.ent_b2, orgs.ent_b3}

    def test_a_new_term_start_recomputes_the_end(self, orgs):
        org = services.update_organization(
            actor=orgs.staff, organization=orgs.committee_x, data={"term_started_on": date(2026, 7, 1)}
        )
        assert org.term_ends_on == date(2031, 7, 1)


class TestPartyMembers:
    def test_records_and_updates_the_counts(self, orgs):
        services.set_party_members(actor=orgs.staff, enterprise=orgs.ent_c, formal_members=3, probationary_members=1)
        services.set_party_members(actor=orgs.staff, enterprise=orgs.ent_c, formal_members=4, probationary_members=0)
        profile = EnterprisePartyProfile.objects.get(enterprise=orgs.ent_c)
        assert (profile.formal_members, profile.probationary_members) == (4, 0)

    def test_refuses_bad_counts(self, orgs):
        errors = refused(
            lambda: services.set_party_members(
                actor=orgs.staff, enterprise=orgs.ent_c, formal_members=0, probationary_members=2
            )
        )
        assert list(errors) == ["probationary_members"]
        assert not EnterprisePartyProfile.objects.exists()
