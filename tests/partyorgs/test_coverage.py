"""Coverage (两个覆盖, design §4.3) and 应建未建 against the hand-counted cast of conftest.py."""

from datetime import date
from decimal import Decimal

import pytest

from chains.models import Enterprise
from partyorgs.models import OrgKind
from partyorgs.selectors import (
    CoverageClass,
    coverage_for_user,
    list_branches_without_committee_for_user,
    list_should_establish_for_user,
    with_coverage,
)
from tests import factories as f
from tests.partyorgs.conftest import TODAY

pytestmark = pytest.mark.django_db


def by_name(rows):
    return {row.name: row for row in rows}


class TestCoverageClasses:
    def test_each_enterprise_is_in_exactly_one_class(self, orgs):
        classes = dict(with_coverage(Enterprise.objects.all(), on=TODAY).values_list("name", "coverage"))
        assert classes == {
            "甲一企业": CoverageClass.ORGANIZATION,  # its own branch (its first secretary does not count twice)
            "甲二企业": CoverageClass.WORK,  # no organization, an active instructor
            "乙一企业": CoverageClass.ORGANIZATION,  # a joint branch
            "乙二企业": CoverageClass.ORGANIZATION,  # the same joint branch
            "乙三企业": CoverageClass.NONE,  # its posting ended
            "丙企业": CoverageClass.NONE,  # its posting has not started
            "丁企业": CoverageClass.NONE,
        }

    def test_a_posting_counts_from_its_first_day_to_its_last(self, orgs):
        def ent_c_on(day):
            return with_coverage(Enterprise.objects.filter(pk=orgs.ent_c.pk), on=day).get().coverage

        assert ent_c_on(date(2027, 2, 28)) == CoverageClass.NONE
        assert ent_c_on(date(2027, 3, 1)) == CoverageClass.WORK
        b3 = Enterprise.objects.filter(pk=orgs.ent_b3.pk)
        assert with_coverage(b3, on=date(2025, 12, 31)).get().coverage == CoverageClass.WORK
        assert with_coverage(b3, on=date(2026, 1, 1)).get().coverage == CoverageClass.NONE


class TestRates:
    def test_district_rate_is_organization_covered_over_the_registry(self, orgs):
        district = coverage_for_user(orgs.staff, on=TODAY).district
        assert (district.enterprises, district.organization, district.work, district.none) == (7, 3, 1, 3)
        assert district.organization_rate == Decimal("42.9")  # 3 / 7
        assert district.work_rate == Decimal("14.3")  # 1 / 7
        assert district.combined_rate == Decimal("57.1")  # 4 / 7

    def test_chain_rates(self, orgs):
        chains = by_name(coverage_for_user(orgs.staff, on=TODAY).chains)
        a, b = chains["生物医药链A"], chains["新能源链B"]
        assert (a.enterprises, a.organization, a.work, a.organization_rate, a.work_rate) == (
            2,
            1,
            1,
            Decimal("50.0"),
            Decimal("50.0"),
        )
        assert (b.enterprises, b.organization, b.work, b.organization_rate, b.work_rate) == (
            3,
            2,
            0,
            Decimal("66.7"),
            Decimal("0.0"),
        )

    def test_park_rates(self, orgs):
        parks = by_name(coverage_for_user(orgs.staff, on=TODAY).parks)
        assert (parks["科学城A"].enterprises, parks["科学城A"].organization, parks["科学城A"].organization_rate) == (
            2,
            1,
            Decimal("50.0"),
        )
        assert (parks["加速器B"].enterprises, parks["加速器B"].organization_rate) == (2, Decimal("100.0"))

    def test_segment_rates(self, orgs):
        segments = by_name(coverage_for_user(orgs.staff, on=TODAY).segments)
        assert (segments["研发A"].enterprises, segments["研发A"].organization, segments["研发A"].work) == (2, 1, 1)
        assert segments["研发A"].chain_name == "生物医药链A"
        assert (segments["制造B"].enterprises, segments["制造B"].organization) == (3, 2)

    def test_a_chain_without_enterprises_has_no_rate_rather_than_zero(self, orgs):
        f.ChainFactory(name="空链")
        empty = by_name(coverage_for_user(orgs.staff, on=TODAY).chains)["空链"]
        assert (empty.enterprises, empty.organization_rate) == (0, None)

    def test_a_chain_leader_sees_the_rates_of_their_chains_only(self, orgs):
        coverage = coverage_for_user(orgs.leader_a, on=TODAY)
        assert [row.name for row in coverage.chains] == ["生物医药链A"]
        assert (coverage.district.enterprises, coverage.district.organization) == (2, 1)
        assert [row.name for row in coverage.segments] == ["研发A"]

    def test_a_park_chief_sees_their_park(self, orgs):
        coverage = coverage_for_user(orgs.chief_a, on=TODAY)
        assert [row.name for row in coverage.parks] == ["科学城A"]
        assert coverage.district.enterprises == 2

    @pytest.mark.parametrize("who", ["security", "auditor", "outsider"])
    def test_administrators_and_outsiders_count_nothing(self, orgs, who):
        coverage = coverage_for_user(getattr(orgs, who), on=TODAY)
        assert coverage.district.enterprises == 0
        assert coverage.chains == coverage.parks == coverage.segments == []

    def test_the_whole_district_in_a_fixed_number_of_queries(self, orgs, django_assert_num_queries):
        for _ in range(20):
            f.MembershipFactory(
                enterprise=f.EnterpriseFactory(park=orgs.park_a), segment=orgs.seg_a, chain=orgs.chain_a
            )
        # the user's roles, district, chains' counts, chains' names, parks, segments' counts, segments' names
        with django_assert_num_queries(7):
            coverage_for_user(orgs.staff, on=TODAY)


class TestShouldEstablish:
    def test_three_formal_members_and_no_organization_is_should_establish(self, orgs):
        f.PartyProfileFactory(enterprise=orgs.ent_c, formal_members=3)
        f.PartyProfileFactory(enterprise=orgs.ent_d, formal_members=2, probationary_members=5)
        f.PartyProfileFactory(enterprise=orgs.ent_a1, formal_members=9)  # has its branch
        assert [e.name for e in list_should_establish_for_user(orgs.staff)] == ["丙企业"]

    def test_sorted_by_members_then_employees(self, orgs):
        for enterprise, members, employees in (
            (orgs.ent_c, 3, 500),
            (orgs.ent_d, 4, 10),
            (orgs.ent_b3, 3, 900),
        ):
            enterprise.employees = employees
            enterprise.save()
            f.PartyProfileFactory(enterprise=enterprise, formal_members=members)
        assert [e.name for e in list_should_establish_for_user(orgs.staff)] == ["丁企业", "乙三企业", "丙企业"]

    def test_scope_applies(self, orgs):
        f.PartyProfileFactory(enterprise=orgs.ent_a2, formal_members=5)
        f.PartyProfileFactory(enterprise=orgs.ent_b3, formal_members=5)
        assert [e.name for e in list_should_establish_for_user(orgs.leader_a)] == ["甲二企业"]
        assert [e.name for e in list_should_establish_for_user(orgs.leader_b)] == ["乙三企业"]

    def test_branches_with_seven_formal_members_and_no_committee(self, orgs):
        f.PartyOrganizationFactory(name="六人支部", formal_members=6)
        f.PartyOrganizationFactory(name="七人支部", formal_members=7)
        f.PartyOrganizationFactory(name="七人联合支部", kind=OrgKind.JOINT_BRANCH, formal_members=7)
        f.PartyOrganizationFactory(name="已选支委", formal_members=7, has_branch_committee=True)
        f.PartyOrganizationFactory(name="党委不算", kind=OrgKind.COMMITTEE, formal_members=30)
        names = [o.name for o in list_branches_without_committee_for_user(orgs.staff)]
        # 甲一企业党支部 has 8 formal members and no committee recorded either.
        assert names == ["甲一企业党支部", "七人支部", "七人联合支部"]
