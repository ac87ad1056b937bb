"""The rules of chains.services: who may write, what is refused and why, and that a refused write
leaves nothing behind."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from chains import services
from chains.models import ChainMaster, ChainMasterStatus, ChainMembership, Enterprise, EnterpriseHonour, Honour
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def counts() -> tuple[int, int, int]:
    return Enterprise.objects.count(), EnterpriseHonour.objects.count(), ChainMembership.objects.count()


def new_enterprise(world, **overrides) -> dict:
    data = {
        "name": "新建企业",
        "credit_code": f.next_credit_code(),
        "size_class": "medium",
        "honours": [{"honour": Honour.HIGH_TECH, "year": 2024}],
        "memberships": [{"segment": world.seg_a.pk}],
    }
    data.update(overrides)
    return data


def refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


class TestCreateEnterprise:
    def test_writes_the_enterprise_its_honours_and_memberships(self, world):
        code = f.next_credit_code()
        enterprise = services.create_enterprise(
            actor=world.staff, data=new_enterprise(world, credit_code=f" {code.lower()}\t")
        )
        enterprise.refresh_from_db()
        assert enterprise.credit_code == code
        assert [(h.honour, h.year) for h in enterprise.honours.all()] == [("high_tech", 2024)]
        membership = enterprise.memberships.get()
        assert (membership.chain, membership.segment) == (world.chain_a, world.seg_a)

    @pytest.mark.parametrize("who", ["leader_a", "contact_a", "chief_a", "security"])
    def test_only_district_staff_may_create(self, world, who):
        before = counts()
        with pytest.raises(PermissionDenied):
            services.create_enterprise(actor=getattr(world, who), data=new_enterprise(world))
        assert counts() == before

    def test_a_missing_credit_code_is_refused(self, world):
        data = new_enterprise(world)
        del data["credit_code"]
        errors = refused(lambda: services.create_enterprise(actor=world.staff, data=data))
        assert "credit_code" in errors

    def test_each_chain_at_most_once(self, world):
        second = f.SegmentFactory(chain=world.chain_a, name="制造A")
        before = counts()
        data = new_enterprise(world, memberships=[{"segment": world.seg_a.pk}, {"segment": second.pk}])
        errors = refused(lambda: services.create_enterprise(actor=world.staff, data=data))
        assert errors == {"memberships": ["The enterprise can sit on the chain 生物医药链A in one segment only."]}
        assert counts() == before

    def test_each_honour_at_most_once(self, world):
        before = counts()
        data = new_enterprise(
            world, honours=[{"honour": "high_tech", "year": 2020}, {"honour": "high_tech", "year": 2021}]
        )
        errors = refused(lambda: services.create_enterprise(actor=world.staff, data=data))
        assert errors == {"honours": ["The honour high_tech is listed more than once."]}
        assert counts() == before

    @time_machine.travel(date(2026, 5, 1))
    @pytest.mark.parametrize(("year", "accepted"), [(1989, False), (1990, True), (2026, True), (2027, False)])
    def test_honour_years_run_from_1990_to_this_year(self, world, year, accepted):
        data = new_enterprise(world, honours=[{"honour": "little_giant", "year": year}])
        if accepted:
            enterprise = services.create_enterprise(actor=world.staff, data=data)
            assert enterprise.honours.get().year == year
        else:
            errors = refused(lambda: services.create_enterprise(actor=world.staff, data=data))
            assert errors["honours"] == [f"The year of little_giant must be between 1990 and 2026; {year} is not."]

    def test_every_problem_is_reported_at_once(self, world):
        data = new_enterprise(
            world,
            credit_code="123",
            employees=-1,
            annual_output=Decimal("-5"),
            memberships=[{"segment": 987654}],
        )
        errors = refused(lambda: services.create_enterprise(actor=world.staff, data=data))
        assert set(errors) == {"credit_code", "employees", "annual_output", "memberships"}

    def test_a_blank_name_is_refused_by_model_validation(self, world):
        errors = refused(lambda: services.create_enterprise(actor=world.staff, data=new_enterprise(world, name="")))
        assert set(errors) == {"name"}


class TestUpdateEnterprise:
    def test_keeps_its_own_credit_code_and_lists_when_not_given(self, world):
        f.HonourFactory(enterprise=world.ent_a1, honour=Honour.SINGLE_CHAMPION, year=2019)
        services.update_enterprise(
            actor=world.staff, enterprise=world.ent_a1, data={"credit_code": world.ent_a1.credit_code, "employees": 7}
        )
        world.ent_a1.refresh_from_db()
        assert world.ent_a1.employees == 7
        assert world.ent_a1.honours.count() == 1
        assert world.ent_a1.memberships.count() == 1

    def test_another_enterprises_code_is_a_duplicate(self, world):
        errors = refused(
            lambda: services.update_enterprise(
                actor=world.staff, enterprise=world.ent_a1, data={"credit_code": world.ent_b1.credit_code.lower()}
            )
        )
        assert errors == {"credit_code": ["An enterprise with this unified social credit code already exists."]}

    def test_replaces_honours_and_moves_memberships(self, world):
        other_segment = f.SegmentFactory(chain=world.chain_a, name="制造A")
        f.HonourFactory(enterprise=world.ent_a2, honour=Honour.HIGH_TECH, year=2018)
        services.update_enterprise(
            actor=world.staff,
            enterprise=world.ent_a2,
            data={
                "honours": [{"honour": "little_giant", "year": 2024}],
                "memberships": [{"segment": other_segment.pk}, {"segment": world.seg_b.pk}],
            },
        )
        assert [(h.honour, h.year) for h in world.ent_a2.honours.all()] == [("little_giant", 2024)]
        assert {(m.chain_id, m.segment_id) for m in world.ent_a2.memberships.all()} == {
            (world.chain_a.pk, other_segment.pk),
            (world.chain_b.pk, world.seg_b.pk),
        }

    def test_a_chain_master_cannot_be_taken_off_its_chain(self, world):
        errors = refused(
            lambda: services.update_enterprise(
                actor=world.staff, enterprise=world.ent_a1, data={"memberships": [{"segment": world.seg_b.pk}]}
            )
        )
        assert list(errors) == ["memberships"]
        assert "chain master of 生物医药链A" in errors["memberships"][0]
        assert list(world.ent_a1.memberships.values_list("chain_id", flat=True)) == [world.chain_a.pk]

    def test_a_revoked_chain_master_can_leave_the_chain(self, world):
        ChainMaster.objects.filter(pk=world.master_a.pk).update(status=ChainMasterStatus.REVOKED)
        services.update_enterprise(actor=world.staff, enterprise=world.ent_a1, data={"memberships": []})
        assert not world.ent_a1.memberships.exists()

    def test_only_district_staff_may_update(self, world):
        with pytest.raises(PermissionDenied):
            services.update_enterprise(actor=world.leader_a, enterprise=world.ent_a1, data={"employees": 1})
        world.ent_a1.refresh_from_db()
        assert world.ent_a1.employees == 50


class TestChainMasters:
    def test_create_a_candidate(self, world):
        master = services.create_chain_master(
            actor=world.staff,
            chain=world.chain_a,
            enterprise=world.ent_a2,
            scores={"score_industry_influence": Decimal("70"), "score_output_rank": Decimal("20.5")},
        )
        assert master.status == ChainMasterStatus.CANDIDATE
        assert master.total_score == Decimal("90.5")

    def test_the_enterprise_must_be_on_the_chain(self, world):
        errors = refused(
            lambda: services.create_chain_master(
                actor=world.staff, chain=world.chain_a, enterprise=world.ent_b1, scores={}
            )
        )
        assert errors == {
            "enterprise": ["乙一企业 is not on the chain 生物医药链A; only its enterprises can be its chain master."]
        }

    def test_an_enterprise_is_proposed_once_per_chain(self, world):
        errors = refused(
            lambda: services.create_chain_master(
                actor=world.staff, chain=world.chain_a, enterprise=world.ent_a1, scores={}
            )
        )
        assert list(errors) == ["enterprise"]

    def test_scores_run_from_0_to_100(self, world):
        errors = refused(
            lambda: services.create_chain_master(
                actor=world.staff,
                chain=world.chain_a,
                enterprise=world.ent_a2,
                scores={"score_chain_driving": Decimal("-1"), "score_output_rank": Decimal("100.01")},
            )
        )
        assert set(errors) == {"score_chain_driving", "score_output_rank"}
        assert ChainMaster.objects.count() == 2

    @time_machine.travel(date(2026, 4, 8))
    def test_designating_revokes_the_previous_master_of_that_chain_only(self, world):
        candidate = f.ChainMasterFactory(chain=world.chain_a, enterprise=world.ent_a2)
        services.designate_chain_master(actor=world.staff, chain_master=candidate)
        candidate.refresh_from_db()
        world.master_a.refresh_from_db()
        world.master_b.refresh_from_db()
        assert (candidate.status, candidate.designated_on) == (ChainMasterStatus.DESIGNATED, date(2026, 4, 8))
        assert (world.master_a.status, world.master_a.revoked_on) == (ChainMasterStatus.REVOKED, date(2026, 4, 8))
        assert world.master_b.status == ChainMasterStatus.DESIGNATED

    @pytest.mark.parametrize("status", [ChainMasterStatus.DESIGNATED, ChainMasterStatus.REVOKED])
    def test_only_a_candidate_can_be_designated(self, world, status):
        ChainMaster.objects.filter(pk=world.master_a.pk).update(status=status)
        with pytest.raises(services.InvalidTransition):
            services.designate_chain_master(actor=world.staff, chain_master=world.master_a)

    def test_a_revoked_master_cannot_be_revoked_again(self, world):
        services.revoke_chain_master(actor=world.staff, chain_master=world.master_a)
        with pytest.raises(services.InvalidTransition):
            services.revoke_chain_master(actor=world.staff, chain_master=world.master_a)

    def test_a_candidate_can_be_withdrawn(self, world):
        candidate = f.ChainMasterFactory(chain=world.chain_a, enterprise=world.ent_a2)
        services.revoke_chain_master(actor=world.staff, chain_master=candidate)
        candidate.refresh_from_db()
        assert candidate.status == ChainMasterStatus.REVOKED

    @pytest.mark.parametrize("service", [services.designate_chain_master, services.revoke_chain_master])
    def test_only_district_staff_designate_or_revoke(self, world, service):
        candidate = f.ChainMasterFactory(chain=world.chain_a, enterprise=world.ent_a2)
        with pytest.raises(PermissionDenied):
            service(actor=world.leader_a, chain_master=candidate)
        candidate.refresh_from_db()
        assert candidate.status == ChainMasterStatus.CANDIDATE
