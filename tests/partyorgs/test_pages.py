"""The party-organization pages: content, scope per role (404 outside it), the staff form's errors,
and query counts that do not grow with the data."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from partyorgs.models import OrgKind, PartyOrganization
from tests import factories as f
from tests.clock import at
from tests.partyorgs.conftest import SEES, queries_of

pytestmark = pytest.mark.django_db

LIST = reverse("partyorgs:org-list")
COVERAGE = reverse("partyorgs:coverage")
SHOULD = reverse("partyorgs:should-establish")
NEW = reverse("partyorgs:org-create")
TERMS = reverse("partyorgs:terms")
MEETINGS = reverse("partyorgs:meetings")


def detail(org):
    return reverse("partyorgs:org-detail", args=[org.pk])


def edit(org):
    return reverse("partyorgs:org-edit", args=[org.pk])


def get(client, user, url, data=None):
    client.force_login(user)
    return client.get(url, data)


def names(response):
    return sorted(row["org"].name for row in response.context["rows"])


class TestContent:
    def test_the_tree_starts_at_the_top_with_rolled_up_counts(self, client, orgs):
        response = get(client, orgs.staff, LIST)
        assert names(response) == ["行业党委A党委"]
        row = response.context["rows"][0]
        assert (row["rollup"].organizations, row["rollup"].formal, row["rollup"].probationary) == (3, 17, 3)
        assert "党委" in response.content.decode()

    def test_a_search_looks_at_every_level(self, client, orgs):
        assert names(get(client, orgs.staff, LIST, {"q": "支部"})) == ["乙企业联合党支部", "甲一企业党支部"]
        assert names(get(client, orgs.staff, LIST, {"kind": OrgKind.JOINT_BRANCH})) == ["乙企业联合党支部"]

    def test_detail_shows_what_sits_below(self, client, orgs):
        response = get(client, orgs.staff, detail(orgs.committee_x))
        assert sorted(row["org"].name for row in response.context["children"]) == ["乙企业联合党支部", "甲一企业党支部"]
        html = get(client, orgs.staff, detail(orgs.branch_a1)).content.decode()
        assert "行业党委A党委" in html
        assert "甲一企业" in html

    def test_coverage_page(self, client, orgs):
        with time_machine.travel(at(12, 6), tick=False):
            response = get(client, orgs.staff, COVERAGE)
        html = response.content.decode()
        assert response.context["coverage"].district.organization == 3
        assert "42.9%" in html
        assert "14.3%" in html
        assert "组织覆盖" in html

    def test_should_establish_page(self, client, orgs):
        f.PartyProfileFactory(enterprise=orgs.ent_c, formal_members=3)
        f.PartyProfileFactory(enterprise=orgs.ent_d, formal_members=2)
        response = get(client, orgs.staff, SHOULD)
        assert [e.name for e in response.context["rows"]] == ["丙企业"]
        assert [o.name for o in response.context["branches"]] == ["甲一企业党支部"]
        assert reverse("jobs:export", args=["partyorgs.branches_without_committee"]) in response.content.decode()

    def test_terms_ending_within_six_months_soonest_first_with_the_lapsed(self, client, orgs):
        for org, end in (
            (orgs.branch_a1, date(2027, 6, 6)),
            (orgs.joint_b, date(2026, 11, 30)),
            (orgs.committee_x, date(2027, 6, 7)),
        ):
            org.term_started_on, org.term_ends_on = date(2020, 1, 1), end
            org.save()
        with time_machine.travel(at(12, 6), tick=False):
            response = get(client, orgs.staff, TERMS)
        assert [o.name for o in response.context["rows"]] == ["乙企业联合党支部", "甲一企业党支部"]
        assert "已超期" in response.content.decode()

    def test_terms_page_stays_in_scope(self, client, orgs):
        orgs.joint_b.term_ends_on = date(2026, 12, 31)
        orgs.joint_b.save()
        with time_machine.travel(at(12, 6), tick=False):
            assert list(get(client, orgs.leader_a, TERMS).context["rows"]) == []
            assert [o.name for o in get(client, orgs.leader_b, TERMS).context["rows"]] == ["乙企业联合党支部"]


class TestForm:
    def test_staff_create_an_organization(self, client, orgs):
        client.force_login(orgs.staff)
        response = client.post(
            NEW,
            {
                "name": "丙企业党支部",
                "kind": OrgKind.BRANCH,
                "parent": orgs.committee_x.pk,
                "enterprises": orgs.ent_c.credit_code,
                "formal_members": 3,
                "probationary_members": 0,
                "term_started_on": "2026-01-01",
            },
        )
        org = PartyOrganization.objects.get(name="丙企业党支部")
        assert response.status_code == 302
        assert response["Location"] == detail(org)
        assert list(org.enterprises.all()) == [orgs.ent_c]

    def test_every_error_next_to_its_field_and_nothing_written(self, client, orgs):
        client.force_login(orgs.staff)
        before = PartyOrganization.objects.count()
        response = client.post(
            NEW,
            {
                "name": "坏数据",
                "kind": OrgKind.BRANCH,
                "enterprises": "91440112MA5UNKNOWN\n" + orgs.ent_c.credit_code,
                "formal_members": -1,
                "probationary_members": 0,
            },
        )
        assert response.status_code == 400
        form = response.context["form"]
        assert set(form.errors) == {"enterprises"}  # the form's own check comes first
        response = client.post(
            NEW,
            {
                "name": "坏数据",
                "kind": OrgKind.BRANCH,
                "enterprises": orgs.ent_c.credit_code,
                "formal_members": 0,
                "probationary_members": 2,
                "term_started_on": "2026-05-01",
                "term_ends_on": "2026-04-01",
            },
        )
        assert set(response.context["form"].errors) == {"probationary_members", "term_ends_on"}
        assert PartyOrganization.objects.count() == before

    def test_an_organization_cannot_be_made_its_own_superior_on_the_page(self, client, orgs):
        client.force_login(orgs.staff)
        response = client.post(
            edit(orgs.committee_x),
            {
                "name": orgs.committee_x.name,
                "kind": OrgKind.COMMITTEE,
                "parent": orgs.committee_x.pk,
                "unit": orgs.ic_a.pk,
                "formal_members": 5,
                "probationary_members": 1,
            },
        )
        assert response.status_code == 400
        assert "parent" in response.context["form"].errors

    @pytest.mark.parametrize("who", ["leader_a", "handler_a", "chief_a", "secretary_a", "contact_a"])
    def test_only_staff_reach_the_form(self, client, orgs, who):
        assert get(client, getattr(orgs, who), NEW).status_code == 403
        assert get(client, getattr(orgs, who), edit(orgs.branch_a1)).status_code == 403


class TestScope:
    # The outsider holds no business role: every page is a 404 for them (as for the administrators below).
    @pytest.mark.parametrize(("who", "sees"), [(who, sees) for who, sees in SEES.items() if who != "outsider"])
    def test_each_role_sees_its_own_organizations_only(self, client, orgs, who, sees):
        user = getattr(orgs, who)
        assert names(get(client, user, LIST, {"q": "党"})) == sees
        for org in (orgs.committee_x, orgs.branch_a1, orgs.joint_b):
            expected = 200 if org.name in sees else 404
            assert get(client, user, detail(org)).status_code == expected, (who, org.name)

    def test_a_superior_outside_scope_is_not_named(self, client, orgs):
        html = get(client, orgs.leader_a, detail(orgs.branch_a1)).content.decode()
        assert "行业党委A党委" not in html
        html = get(client, orgs.leader_a, LIST).content.decode()
        assert "行业党委A党委" not in html
        assert "甲一企业党支部" in html  # their root, as they see the tree

    def test_a_joint_branch_names_only_the_enterprises_the_user_sees(self, client, orgs):
        html = get(client, orgs.contact_b, detail(orgs.joint_b)).content.decode()
        assert "乙一企业" in html
        assert "乙二企业" not in html

    def test_coverage_and_should_establish_stay_in_scope(self, client, orgs):
        f.PartyProfileFactory(enterprise=orgs.ent_b3, formal_members=4)
        assert list(get(client, orgs.leader_a, SHOULD).context["rows"]) == []
        html = get(client, orgs.leader_a, COVERAGE).content.decode()
        assert "新能源链B" not in html
        assert "加速器B" not in html

    @pytest.mark.parametrize("who", ["security", "auditor", "outsider"])
    def test_administrators_and_outsiders_get_no_page(self, client, orgs, who):
        for url in (LIST, COVERAGE, SHOULD, TERMS, MEETINGS, NEW, detail(orgs.branch_a1), edit(orgs.branch_a1)):
            assert get(client, getattr(orgs, who), url).status_code == 404, url

    def test_anonymous_is_sent_to_login(self, client, orgs):
        for url in (LIST, COVERAGE, SHOULD, TERMS, MEETINGS, NEW, detail(orgs.branch_a1)):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))


def count_queries(client, url, data=None) -> int:
    client.get(url, data)  # warm caches (content types, the session)
    return queries_of(lambda: client.get(url, data))


def grow(world, n: int) -> None:
    """n more enterprises on chain A, each with its branch under committee_x and a party profile."""
    for _ in range(n):
        enterprise = f.EnterpriseFactory(park=world.park_a)
        f.MembershipFactory(enterprise=enterprise, segment=world.seg_a, chain=world.chain_a)
        f.PartyOrganizationFactory(
            parent=world.committee_x, covers=[enterprise], formal_members=7, term_ends_on=date(2027, 1, 31)
        )
        f.PartyProfileFactory(enterprise=f.EnterpriseFactory(park=world.park_a), formal_members=5)


class TestQueryCounts:
    @pytest.mark.parametrize("who", ["staff", "leader_a", "chief_a", "contact_a"])
    @pytest.mark.parametrize(
        ("url", "data"),
        [(LIST, None), (LIST, {"q": "党"}), (COVERAGE, None), (SHOULD, None), (TERMS, None), ("detail", None)],
    )
    def test_pages_do_not_grow_with_the_data(self, client, orgs, django_assert_num_queries, who, url, data):
        client.force_login(getattr(orgs, who))
        url = detail(orgs.branch_a1 if who != "staff" else orgs.committee_x) if url == "detail" else url
        grow(orgs, 2)
        few = count_queries(client, url, data)
        grow(orgs, 6)
        with django_assert_num_queries(few):
            assert client.get(url, data).status_code == 200
        assert 3 < few <= 16


class TestSectionMenu:
    """Every page of the section carries its menu, with the page's own entry marked, and the script
    that folds it on a phone from a static file (the CSP allows no inline script)."""

    @pytest.mark.parametrize(
        ("url", "current"),
        [
            (LIST, "组织体系"),
            (COVERAGE, "两个覆盖"),
            (SHOULD, "应建未建"),
            (TERMS, "换届提醒"),
            (MEETINGS, "三会一课"),
            (reverse("partyorgs:pairing-list"), "红联共建"),
            (reverse("partyorgs:pairing-create"), "红联共建"),
            (reverse("partyorgs:plans"), "党建规划"),
            (NEW, "新建党组织"),
            ("detail", "组织体系"),
            ("edit", "组织体系"),
        ],
    )
    def test_each_page_marks_its_entry(self, client, orgs, url, current):
        url = {"detail": detail(orgs.branch_a1), "edit": edit(orgs.branch_a1)}.get(url, url)
        html = get(client, orgs.staff, url).content.decode()
        assert html.count("data-section-menu") == 1
        marked = re.findall(r'<a href="[^"]*" aria-current="page">([^<]*)</a>', html)
        assert marked == [current]
        assert '<script src="/static/js/section-menu.js" defer></script>' in html
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script
        assert " style=" not in html

    def test_only_staff_see_the_staff_entries(self, client, orgs):
        html = get(client, orgs.contact_a, LIST).content.decode()
        assert "data-section-menu" in html
        assert reverse("partyorgs:org-create") not in html
