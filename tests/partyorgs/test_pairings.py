"""红联共建 (design §4.1, path 2): pairings of a department's organization with an enterprise's on a
chain, activities under the three programmes, the chain's paired and unpaired organizations, scope."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from partyorgs import services
from partyorgs.models import Pairing, PairingActivity, Programme
from tests import factories as f
from tests.clock import at
from tests.partyorgs.conftest import queries_of, refused

pytestmark = pytest.mark.django_db


class TestCreate:
    def test_every_problem_at_once_and_nothing_written(self, paired):
        errors = refused(
            lambda: services.create_pairing(
                actor=paired.staff,
                department_org=paired.committee_x,  # covers an industry committee, not a department
                enterprise_org=paired.joint_b,  # not on chain A
                chain=paired.chain_a,
                start_on=date(2026, 5, 1),
                end_on=date(2026, 4, 1),
                goals=" ",
            )
        )
        assert set(errors) == {"department_org", "enterprise_org", "end_on", "goals"}
        assert Pairing.objects.count() == 1

    def test_twice_is_refused(self, paired):
        errors = refused(
            lambda: services.create_pairing(
                actor=paired.staff,
                department_org=paired.dept_org,
                enterprise_org=paired.branch_a1,
                chain=paired.chain_a,
                start_on=date(2026, 2, 1),
                goals="再来",
            )
        )
        assert list(errors) == ["enterprise_org"]

    def test_only_staff_pair(self, paired):
        with pytest.raises(PermissionDenied):
            services.create_pairing(
                actor=paired.leader_a,
                department_org=paired.dept_org,
                enterprise_org=paired.joint_b,
                chain=paired.chain_b,
                start_on=date(2026, 1, 1),
                goals="x",
            )


class TestActivities:
    def log(self, actor, pairing, **data):
        values = {
            "programme": Programme.TRAINING,
            "held_on": date(2026, 11, 20),
            "title": "联合培训",
            "outcome": "30 人",
        }
        with time_machine.travel(at(12, 6), tick=False):
            return services.log_pairing_activity(actor=actor, pairing=pairing, **{**values, **data})

    def test_either_sides_people_and_staff_log(self, paired):
        handler = f.UserFactory(unit=paired.dept_a, roles=[Role.UNIT_HANDLER])
        assert self.log(handler, paired.pairing).programme == Programme.TRAINING
        assert (
            self.log(paired.contact_a, paired.pairing, programme=Programme.INNOVATION).recorded_by == paired.contact_a
        )
        assert self.log(paired.staff, paired.pairing, programme=Programme.TALENT)

    @pytest.mark.parametrize("who", ["leader_a", "chief_a", "contact_b"])
    def test_others_may_not(self, paired, who):
        with pytest.raises(PermissionDenied):
            self.log(getattr(paired, who), paired.pairing)

    def test_every_problem_at_once(self, paired):
        errors = refused(
            lambda: self.log(paired.staff, paired.pairing, programme="party", held_on=date(2025, 12, 31), title="")
        )
        assert set(errors) == {"programme", "held_on", "title"}
        assert "did not run" in errors["held_on"][0]
        assert not PairingActivity.objects.exists()


class TestPages:
    def test_the_chain_page_lists_paired_and_unpaired_organizations(self, client, paired):
        f.PartyOrganizationFactory(name="甲二企业党支部", covers=[paired.ent_a2])
        client.force_login(paired.staff)
        with time_machine.travel(at(12, 6), tick=False):
            response = client.get(reverse("partyorgs:chain-pairings", args=[paired.chain_a.code]))
        rows = [(item.organization.name, item.paired) for item in response.context["rows"]]
        assert rows == [("甲二企业党支部", False), ("甲一企业党支部", True)]
        assert "经济部门A机关党支部" in response.content.decode()
        html = client.get(reverse("chains:chain-detail", args=[paired.chain_a.code])).content.decode()
        assert reverse("partyorgs:chain-pairings", args=[paired.chain_a.code]) in html

    def test_an_ended_pairing_no_longer_counts(self, client, paired):
        paired.pairing.end_on = date(2026, 6, 30)
        paired.pairing.save()
        client.force_login(paired.staff)
        with time_machine.travel(at(12, 6), tick=False):
            response = client.get(reverse("partyorgs:chain-pairings", args=[paired.chain_a.code]))
        assert [item.paired for item in response.context["rows"]] == [False]

    def test_logging_on_the_page_with_errors_next_to_the_fields(self, client, paired):
        client.force_login(paired.contact_a)
        url = reverse("partyorgs:pairing-detail", args=[paired.pairing.pk])
        with time_machine.travel(at(12, 6), tick=False):
            response = client.post(url, {"programme": "talent", "held_on": "", "title": ""})
            assert response.status_code == 400
            assert set(response.context["form"].errors) == {"held_on", "title"}
            response = client.post(url, {"programme": "talent", "held_on": "2026-12-01", "title": "人才服务"})
        assert response.status_code == 302
        assert paired.pairing.activities.get().title == "人才服务"

    def test_the_form_names_each_organizations_enterprises_and_chains(self, client, paired):
        lonely = f.EnterpriseFactory(name="戊企业")
        f.PartyOrganizationFactory(name="戊企业党支部", covers=[lonely])
        client.force_login(paired.staff)
        with translation.override("zh-hans"):
            form = client.get(reverse("partyorgs:pairing-create")).context["form"]
            enterprise_orgs = {label for value, label in form.fields["enterprise_org"].choices if value}
            department_orgs = {label for value, label in form.fields["department_org"].choices if value}
        assert enterprise_orgs == {
            "甲一企业党支部 — 甲一企业（产业链：生物医药链A）",
            "乙企业联合党支部 — 乙一企业、乙二企业（产业链：新能源链B）",
            "戊企业党支部 — 戊企业（不在任何产业链上）",
        }
        assert department_orgs == {"经济部门A机关党支部 — 经济部门A"}

    def test_staff_create_on_the_page(self, client, paired):
        client.force_login(paired.staff)
        response = client.post(
            reverse("partyorgs:pairing-create"),
            {
                "department_org": paired.dept_org.pk,
                "enterprise_org": paired.joint_b.pk,
                "chain": paired.chain_b.pk,
                "start_on": "2026-03-01",
                "goals": "共建",
            },
        )
        assert response.status_code == 302
        assert Pairing.objects.filter(enterprise_org=paired.joint_b).exists()
        assert client.post(reverse("partyorgs:pairing-create"), {}).status_code == 400

    @pytest.mark.parametrize(
        ("who", "sees"),
        [
            ("leader_a", True),
            ("contact_a", True),
            ("chief_a", True),
            ("leader_b", False),
            ("contact_b", False),
            ("handler_town", False),
        ],
    )
    def test_scope(self, client, paired, who, sees):
        client.force_login(getattr(paired, who))
        detail = client.get(reverse("partyorgs:pairing-detail", args=[paired.pairing.pk]))
        assert detail.status_code == (200 if sees else 404)
        listed = client.get(reverse("partyorgs:pairing-list")).context["rows"]
        assert [p.pk for p in listed] == ([paired.pairing.pk] if sees else [])

    def test_a_chain_outside_scope_is_a_404(self, client, paired):
        client.force_login(paired.leader_a)
        assert client.get(reverse("partyorgs:chain-pairings", args=[paired.chain_b.code])).status_code == 404

    @pytest.mark.parametrize("who", ["security", "auditor", "outsider"])
    def test_administrators_get_no_page(self, client, paired, who):
        client.force_login(getattr(paired, who))
        for url in (
            reverse("partyorgs:pairing-list"),
            reverse("partyorgs:pairing-create"),
            reverse("partyorgs:pairing-detail", args=[paired.pairing.pk]),
            reverse("partyorgs:chain-pairings", args=[paired.chain_a.code]),
        ):
            assert client.get(url).status_code == 404


API = reverse("pairing-list")


class TestApi:
    def test_list_detail_and_activities(self, api, paired):
        api.force_authenticate(paired.leader_a)
        body = api.get(API).json()
        assert [p["enterprise_org"]["name"] for p in body["results"]] == ["甲一企业党支部"]
        api.force_authenticate(paired.leader_b)
        assert api.get(API).json()["results"] == []
        assert api.get(reverse("pairing-detail", args=[paired.pairing.pk])).status_code == 404

    def test_staff_create_and_people_log(self, api, paired):
        api.force_authenticate(paired.staff)
        bad = api.post(
            API,
            {
                "department_org": paired.committee_x.pk,
                "enterprise_org": paired.joint_b.pk,
                "chain": paired.chain_b.pk,
                "start_on": "2026-03-01",
                "goals": "",
            },
            format="json",
        )
        assert bad.status_code == 400
        assert set(bad.json()["errors"]) == {"department_org", "goals"}
        api.force_authenticate(paired.contact_a)
        route = reverse("pairing-activities", args=[paired.pairing.pk])
        with time_machine.travel(at(12, 6), tick=False):
            done = api.post(
                route, {"programme": "innovation", "held_on": "2026-12-01", "title": "成果对接"}, format="json"
            )
        assert done.status_code == 201
        api.force_authenticate(paired.contact_b)
        assert (
            api.post(
                route, {"programme": "innovation", "held_on": "2026-12-01", "title": "x"}, format="json"
            ).status_code
            == 404
        )
        api.force_authenticate(paired.leader_a)
        assert api.post(API, {}, format="json").status_code == 403

    @pytest.mark.parametrize("who", ["staff", "leader_a"])
    def test_query_counts_do_not_grow(self, client, api, paired, django_assert_num_queries, who):
        user = getattr(paired, who)
        client.force_login(user)
        api.force_authenticate(user)

        def grow(n):
            for _ in range(n):
                enterprise = f.EnterpriseFactory()
                f.MembershipFactory(enterprise=enterprise, segment=paired.seg_a, chain=paired.chain_a)
                org = f.PartyOrganizationFactory(covers=[enterprise])
                pairing = Pairing.objects.create(
                    department_org=paired.dept_org,
                    enterprise_org=org,
                    chain=paired.chain_a,
                    start_on=date(2026, 1, 1),
                    goals="g",
                )
                PairingActivity.objects.create(
                    pairing=pairing, programme="training", held_on=date(2026, 2, 1), title="t", recorded_by=paired.staff
                )

        grow(2)
        calls = [
            lambda: client.get(reverse("partyorgs:pairing-list")),
            lambda: client.get(reverse("partyorgs:chain-pairings", args=[paired.chain_a.code])),
            lambda: api.get(API),
        ]
        for call in calls:
            call()
            few = queries_of(call)
            grow(3)
            call()
            with django_assert_num_queries(few):
                assert call().status_code == 200
            assert few >= 3
