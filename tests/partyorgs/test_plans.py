"""The chain master's annual party plan (design §4.2, 一体考核): filed with weighted targets, scored at
year end beside the chain's business score, flagged when missing past the district's deadline."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from partyorgs import services
from partyorgs.models import AnnualPartyPlan, PlanDeadline, PlanTarget
from partyorgs.selectors import plan_status_for_user
from tests import factories as f
from tests.clock import at
from tests.partyorgs.conftest import queries_of, refused

pytestmark = pytest.mark.django_db

TARGETS = [{"description": "党建联盟", "weight": 60}, {"description": "先锋岗", "weight": 40}]


@pytest.fixture
def plan_world(orgs):
    """Chain A's designated master is ent_a1, whose organization is branch_a1 (contact: contact_a).
    Chain B's master is ent_b1, covered by joint_b."""
    return orgs


def file(world, actor=None, **data):
    values = {
        "chain": world.chain_a,
        "organization": world.branch_a1,
        "year": 2026,
        "title": "年度规划",
        "targets": TARGETS,
    }
    with time_machine.travel(at(2, 20), tick=False):
        return services.file_party_plan(actor=actor or world.staff, **{**values, **data})


class TestFiling:
    def test_the_chain_masters_contact_files_with_targets(self, plan_world):
        plan = file(plan_world, actor=plan_world.contact_a)
        assert [(t.description, t.weight) for t in plan.targets.all()] == [("党建联盟", 60), ("先锋岗", 40)]
        assert plan.filed_on == date(2026, 2, 20)

    def test_every_problem_at_once_and_nothing_written(self, plan_world):
        errors = refused(
            lambda: file(
                plan_world,
                organization=plan_world.joint_b,  # not chain A's master's organization
                year=2030,
                title=" ",
                targets=[{"description": "", "weight": 0}, {"description": "x", "weight": 30}],
            )
        )
        assert set(errors) == {"organization", "year", "title", "targets.0.description", "targets.0.weight"}
        errors = refused(
            lambda: file(plan_world, targets=[{"description": "a", "weight": 50}, {"description": "b", "weight": 40}])
        )
        assert errors == {"targets": ["The weights add up to 90, not 100."]}
        assert not AnnualPartyPlan.objects.exists()
        assert not PlanTarget.objects.exists()

    def test_one_plan_per_chain_and_year(self, plan_world):
        file(plan_world)
        assert list(refused(lambda: file(plan_world))) == ["year"]

    @pytest.mark.parametrize("who", ["leader_a", "contact_b", "chief_a"])
    def test_others_may_not_file(self, plan_world, who):
        with pytest.raises(PermissionDenied):
            file(plan_world, actor=getattr(plan_world, who))


class TestScoring:
    def test_at_year_end_beside_the_business_score(self, plan_world):
        plan = file(plan_world)
        first, second = plan.targets.all()
        with time_machine.travel(at(12, 15), tick=False):
            services.score_party_plan(
                actor=plan_world.staff,
                plan=plan,
                scores={first.pk: Decimal(55), second.pk: Decimal(30)},
                business_score=Decimal("91.5"),
            )
        rows = plan_status_for_user(plan_world.staff, year=2026, today=date(2026, 12, 20))
        (row,) = [r for r in rows if r.chain == plan_world.chain_a]
        assert (row.plan.party_score, row.plan.business_score) == (Decimal(85), Decimal("91.5"))

    def test_refused_before_december_above_the_weight_or_incomplete(self, plan_world):
        plan = file(plan_world)
        first, second = plan.targets.all()
        with time_machine.travel(at(11, 30), tick=False):
            errors = refused(
                lambda: services.score_party_plan(
                    actor=plan_world.staff, plan=plan, scores={first.pk: Decimal(61)}, business_score=Decimal(101)
                )
            )
        assert set(errors) == {"scores", f"scores.{first.pk}", "business_score"}
        assert len(errors["scores"]) == 2  # not December yet; a target left unscored
        assert not PlanTarget.objects.filter(score__isnull=False).exists()
        with pytest.raises(PermissionDenied):
            services.score_party_plan(actor=plan_world.contact_a, plan=plan, scores={}, business_score=None)


class TestFlags:
    def test_a_missing_plan_is_flagged_after_the_deadline(self, plan_world):
        services.set_plan_deadline(actor=plan_world.staff, year=2026, due_on=date(2026, 3, 31))
        file(plan_world)
        f.ChainFactory(name="无链主链")
        rows = {r.chain.name: r for r in plan_status_for_user(plan_world.staff, year=2026, today=date(2026, 3, 31))}
        assert not rows["新能源链B"].flagged  # due today: not yet late
        rows = {r.chain.name: r for r in plan_status_for_user(plan_world.staff, year=2026, today=date(2026, 4, 1))}
        assert rows["新能源链B"].flagged
        assert not rows["生物医药链A"].flagged  # filed
        assert not rows["无链主链"].flagged  # no chain master, no plan owed
        assert not rows["无链主链"].has_chain_master

    def test_no_deadline_no_flag(self, plan_world):
        rows = plan_status_for_user(plan_world.staff, year=2026, today=date(2026, 12, 31))
        assert not any(r.flagged for r in rows)

    def test_the_deadline_is_the_districts(self, plan_world):
        with pytest.raises(PermissionDenied):
            services.set_plan_deadline(actor=plan_world.leader_a, year=2026, due_on=date(2026, 3, 31))
        with pytest.raises(ValidationError):
            services.set_plan_deadline(actor=plan_world.staff, year=2026, due_on=date(2024, 3, 31))
        services.set_plan_deadline(actor=plan_world.staff, year=2026, due_on=date(2026, 4, 30))
        assert PlanDeadline.objects.get(year=2026).due_on == date(2026, 4, 30)


class TestScope:
    @pytest.mark.parametrize(
        ("who", "sees"),
        [
            ("staff", True),
            ("leader_a", True),
            ("handler_a", True),
            ("contact_a", True),
            ("chief_a", True),
            ("secretary_a", True),
            ("leader_b", False),
            ("contact_b", False),
            ("handler_town", False),
            ("security", False),
            ("auditor", False),
        ],
    )
    def test_who_sees_chain_as_plan(self, client, api, plan_world, who, sees):
        plan = file(plan_world)
        api.force_authenticate(getattr(plan_world, who))
        assert [p["id"] for p in api.get(reverse("party-plan-list")).json()["results"]] == ([plan.pk] if sees else [])
        assert api.get(reverse("party-plan-detail", args=[plan.pk])).status_code == (200 if sees else 404)

    def test_a_contact_on_the_chain_but_not_of_its_master_sees_nothing(self, client, plan_world):
        plan = file(plan_world)
        contact = f.UserFactory(enterprise=plan_world.ent_a2, roles=[Role.ENTERPRISE_CONTACT])
        client.force_login(contact)
        assert client.get(reverse("partyorgs:plan-detail", args=[plan.pk])).status_code == 404
        assert client.get(reverse("partyorgs:plans"), {"year": 2026}).context["rows"] == []

    @pytest.mark.parametrize("who", ["security", "auditor", "outsider"])
    def test_administrators_get_no_page(self, client, plan_world, who):
        plan = file(plan_world)
        client.force_login(getattr(plan_world, who))
        for url in (
            reverse("partyorgs:plans"),
            reverse("partyorgs:plan-detail", args=[plan.pk]),
            reverse("partyorgs:plan-file", args=[plan_world.chain_a.code]),
        ):
            assert client.get(url).status_code == 404


class TestPagesAndApi:
    def test_filing_on_the_page(self, client, plan_world):
        client.force_login(plan_world.contact_a)
        url = reverse("partyorgs:plan-file", args=[plan_world.chain_a.code])
        with time_machine.travel(at(2, 20), tick=False):
            bad = client.post(
                url,
                {
                    "organization": plan_world.branch_a1.pk,
                    "year": 2026,
                    "title": "规划",
                    "targets": "联盟 | 50\n先锋岗 | 40",
                },
            )
            assert bad.status_code == 400
            assert "90" in bad.content.decode()
            good = client.post(
                url,
                {
                    "organization": plan_world.branch_a1.pk,
                    "year": 2026,
                    "title": "规划",
                    "targets": "联盟 | 60\n先锋岗 | 40",
                },
            )
        assert good.status_code == 302
        client.force_login(plan_world.leader_a)
        assert client.get(url).status_code == 403

    def test_api_files_and_scores(self, api, plan_world):
        api.force_authenticate(plan_world.contact_a)
        body = {
            "chain": plan_world.chain_a.pk,
            "organization": plan_world.branch_a1.pk,
            "year": 2026,
            "title": "规划",
            "targets": TARGETS,
        }
        with time_machine.travel(at(2, 20), tick=False):
            created = api.post(reverse("party-plan-list"), body, format="json")
        assert created.status_code == 201, created.content
        plan = created.json()
        api.force_authenticate(plan_world.staff)
        scores = {str(t["id"]): "30" for t in plan["targets"]}
        with time_machine.travel(at(12, 20), tick=False):
            scored = api.post(
                reverse("party-plan-score", args=[plan["id"]]),
                {"scores": scores, "business_score": "80"},
                format="json",
            )
        assert scored.status_code == 200, scored.content
        assert (scored.json()["party_score"], scored.json()["business_score"]) == ("60.0", "80.0")
        api.force_authenticate(plan_world.contact_b)
        assert api.post(reverse("party-plan-list"), body, format="json").status_code == 404

    @pytest.mark.parametrize("who", ["staff", "leader_a"])
    def test_query_counts_do_not_grow(self, client, api, plan_world, django_assert_num_queries, who):
        user = getattr(plan_world, who)
        client.force_login(user)
        api.force_authenticate(user)
        years = iter(range(2000, 2100))

        def grow(n):
            for _ in range(n):
                plan = AnnualPartyPlan.objects.create(
                    chain=plan_world.chain_a,
                    organization=plan_world.branch_a1,
                    year=next(years),
                    title="t",
                    filed_on=date(2026, 1, 1),
                    filed_by=plan_world.staff,
                )
                PlanTarget.objects.create(plan=plan, description="d", weight=100)

        grow(2)
        for call in (lambda: client.get(reverse("partyorgs:plans")), lambda: api.get(reverse("party-plan-list"))):
            call()
            few = queries_of(call)
            grow(3)
            call()
            with django_assert_num_queries(few):
                assert call().status_code == 200
            assert few >= 2
