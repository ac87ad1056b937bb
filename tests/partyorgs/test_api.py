"""/api/v1/party-organizations/ and /api/v1/coverage/: filters, tree queries, scope (404 outside it),
staff-only writes with the error shape, query counts."""

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from partyorgs.models import OrgKind, PartyOrganization
from tests import factories as f
from tests.clock import at
from tests.partyorgs.conftest import SEES, queries_of

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LIST = reverse("party-organization-list")
COVERAGE = reverse("coverage-list")


def detail(org) -> str:
    return reverse("party-organization-detail", args=[org.pk])


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


class TestReads:
    def test_filters(self, api, orgs):
        as_user(api, orgs.staff)
        assert names(api.get(LIST, {"covers": orgs.ent_b2.pk})) == ["乙企业联合党支部"]
        assert names(api.get(LIST, {"kind": OrgKind.COMMITTEE})) == ["行业党委A党委"]
        assert names(api.get(LIST, {"top_level": "true"})) == ["行业党委A党委"]
        assert names(api.get(LIST, {"chain": orgs.chain_a.pk})) == ["甲一企业党支部"]
        assert names(api.get(LIST, {"park": orgs.park_b.pk})) == ["乙企业联合党支部"]

    def test_descendants_as_a_filter_and_as_a_route(self, api, orgs):
        grandchild_parent = f.PartyOrganizationFactory(
            name="党总支", kind=OrgKind.GENERAL_BRANCH, parent=orgs.committee_x
        )
        f.PartyOrganizationFactory(name="孙支部", parent=grandchild_parent)
        as_user(api, orgs.staff)
        expected = ["乙企业联合党支部", "党总支", "孙支部", "甲一企业党支部"]
        assert names(api.get(LIST, {"descendants_of": orgs.committee_x.pk})) == expected
        assert names(api.get(reverse("party-organization-descendants", args=[orgs.committee_x.pk]))) == expected

    def test_detail_carries_the_rollup_and_the_superior(self, api, orgs):
        body = as_user(api, orgs.staff).get(detail(orgs.committee_x)).json()
        assert body["rollup"] == {"organizations": 3, "formal": 17, "probationary": 3, "total": 20}
        body = api.get(detail(orgs.joint_b)).json()
        assert body["superior"] == {"id": orgs.committee_x.pk, "name": "行业党委A党委"}
        assert [e["name"] for e in body["enterprises"]] == ["乙一企业", "乙二企业"]

    def test_coverage(self, api, orgs):
        with time_machine.travel(at(12, 6), tick=False):
            body = as_user(api, orgs.staff).get(COVERAGE).json()
        assert body["district"]["enterprises"] == 7
        assert (body["district"]["organization"], body["district"]["work"], body["district"]["none"]) == (3, 1, 3)
        assert body["district"]["organization_rate"] == "42.9"
        assert {row["name"]: row["organization_rate"] for row in body["chains"]} == {
            "生物医药链A": "50.0",
            "新能源链B": "66.7",
        }


class TestScope:
    @pytest.mark.parametrize(("who", "sees"), {**SEES, "security": [], "auditor": []}.items())
    def test_each_role_reads_its_own_organizations_only(self, api, orgs, who, sees):
        as_user(api, getattr(orgs, who))
        assert names(api.get(LIST)) == sees
        for org in (orgs.committee_x, orgs.branch_a1, orgs.joint_b):
            assert api.get(detail(org)).status_code == (200 if org.name in sees else 404)
            route = reverse("party-organization-descendants", args=[org.pk])
            assert api.get(route).status_code == (200 if org.name in sees else 404)

    def test_descendants_of_an_organization_outside_scope_are_walked_in_scope_only(self, api, orgs):
        as_user(api, orgs.leader_b)
        assert names(api.get(LIST, {"descendants_of": orgs.committee_x.pk})) == ["乙企业联合党支部"]

    def test_the_superior_outside_scope_is_null(self, api, orgs):
        body = as_user(api, orgs.leader_a).get(detail(orgs.branch_a1)).json()
        assert body["superior"] is None
        assert body["rollup"]["organizations"] == 1

    def test_coverage_in_scope(self, api, orgs):
        body = as_user(api, orgs.leader_a).get(COVERAGE).json()
        assert [row["name"] for row in body["chains"]] == ["生物医药链A"]
        assert body["district"]["enterprises"] == 2

    def test_anonymous_is_refused(self, api, orgs):
        assert api.get(LIST).status_code in (401, 403)
        assert api.get(COVERAGE).status_code in (401, 403)


class TestWrites:
    def test_staff_create(self, api, orgs):
        response = as_user(api, orgs.staff).post(
            LIST,
            {
                "name": "丙企业党支部",
                "kind": "branch",
                "parent": orgs.committee_x.pk,
                "enterprises": [orgs.ent_c.pk],
                "formal_members": 3,
                "term_started_on": "2026-01-01",
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        assert response.json()["term_ends_on"] == "2029-01-01"
        assert response.json()["superior"]["id"] == orgs.committee_x.pk

    def test_every_error_at_once_in_the_error_shape(self, api, orgs):
        before = PartyOrganization.objects.count()
        six = [f.EnterpriseFactory().pk for _ in range(6)]
        response = as_user(api, orgs.staff).post(
            LIST,
            {
                "name": "超限联合支部",
                "kind": "joint_branch",
                "enterprises": six,
                "formal_members": -1,
                "probationary_members": 2,
                "term_started_on": "2026-05-01",
                "term_ends_on": "2026-01-01",
            },
            format="json",
            **EN,
        )
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid"
        assert set(body["errors"]) == {"enterprises", "formal_members", "term_ends_on"}
        assert PartyOrganization.objects.count() == before

    def test_a_cycle_is_refused(self, api, orgs):
        response = as_user(api, orgs.staff).patch(
            detail(orgs.committee_x), {"parent": orgs.committee_x.pk}, format="json", **EN
        )
        assert response.status_code == 400
        assert "cannot be its own superior" in response.json()["errors"]["parent"][0]

    def test_others_may_not_write_and_learn_nothing_outside_their_scope(self, api, orgs):
        as_user(api, orgs.leader_a)
        assert api.post(LIST, {"name": "x", "kind": "branch"}, format="json").status_code == 403
        assert api.patch(detail(orgs.branch_a1), {"secretary": "x"}, format="json").status_code == 403
        assert api.patch(detail(orgs.joint_b), {"secretary": "x"}, format="json").status_code == 404


def grow(world, n: int) -> None:
    for _ in range(n):
        enterprise = f.EnterpriseFactory(park=world.park_a)
        f.MembershipFactory(enterprise=enterprise, segment=world.seg_a, chain=world.chain_a)
        f.PartyOrganizationFactory(parent=world.committee_x, covers=[enterprise])


@pytest.mark.parametrize("who", ["staff", "leader_a", "chief_a", "contact_a"])
@pytest.mark.parametrize(
    ("url", "data"), [(LIST, None), (LIST, {"descendants_of": "x"}), (COVERAGE, None)], ids=["list", "tree", "coverage"]
)
def test_list_queries_do_not_grow_with_the_rows(api, orgs, django_assert_num_queries, who, url, data):
    if data:
        data = {"descendants_of": orgs.committee_x.pk}
    as_user(api, getattr(orgs, who))
    grow(orgs, 2)
    api.get(url, data)
    few = queries_of(lambda: api.get(url, data))
    grow(orgs, 6)
    as_user(api, getattr(orgs, who))
    api.get(url, data)
    with django_assert_num_queries(few):
        assert api.get(url, data).status_code == 200
    assert 2 < few <= 10
