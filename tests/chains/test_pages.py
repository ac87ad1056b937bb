"""The server-rendered pages of chains, enterprises and parks: content, scope, filters, query counts, language."""

from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chains.models import FacilityKind, Honour, LeaderRole, MeasureKind, MemberSource, ParkFacility, SizeClass
from tests import factories as f


def chain_url(chain):
    return reverse("chains:chain-detail", args=[chain.code])


def enterprise_url(enterprise):
    return reverse("chains:enterprise-detail", args=[enterprise.pk])


def park_url(park):
    return reverse("chains:park-detail", args=[park.pk])


def business_pages(world) -> list[str]:
    """The chains app's lists, and one detail page of each kind, of the cast's chain A."""
    return [
        reverse("chains:chain-list"),
        reverse("chains:enterprise-list"),
        reverse("chains:park-list"),
        chain_url(world.chain_a),
        enterprise_url(world.ent_a1),
        park_url(world.park_a),
    ]


def listed(response):
    """The enterprise names on the current page of the enterprise list."""
    return sorted(e.name for e in response.context["page"].object_list)


def get(client, user, url, **extra):
    client.force_login(user)
    return client.get(url, **extra)


# --- content ----------------------------------------------------------------------------------
@pytest.mark.django_db
class TestContent:
    def test_home_greets_the_user_and_shows_their_chains(self, client, world):
        world.leader_a.full_name = "王链长"
        world.leader_a.save()
        response = get(client, world.leader_a, reverse("home"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "王链长" in html
        assert "区委" in html  # the unit
        assert "链长" in html  # the role, in Chinese
        assert "生物医药链A" in html
        assert "甲一企业" in html  # the designated chain master
        assert "新能源链B" not in html

    def test_home_of_an_administrator_shows_no_chain(self, client, world):
        response = get(client, world.security, reverse("home"))
        assert response.status_code == 200
        assert response.context["panels"] == []
        assert "生物医药链A" not in response.content.decode()

    def test_chain_list_shows_leaders_units_paths_masters_and_counts(self, client, world):
        world.chain_a.path_park = True
        world.chain_a.save()
        deputy = f.UserFactory(full_name="李副链长")
        f.LeadershipFactory(chain=world.chain_a, user=deputy, role=LeaderRole.DEPUTY)
        response = get(client, world.staff, reverse("chains:chain-list"))
        html = response.content.decode()
        assert response.status_code == 200
        for text in (
            "生物医药链A",
            "新能源链B",
            "经济部门A",
            "行业党委A",
            "李副链长",
            "副链长",
            "园区路径",
            "甲一企业",
        ):
            assert text in html, text
        counts = {chain.name: chain.enterprise_count for chain in response.context["rows"]}
        assert counts == {"生物医药链A": 2, "新能源链B": 1}

    def test_chain_detail_shows_organisation_map_and_chain_master(self, client, world):
        coop = f.UnitFactory(name="配合单位甲")
        world.chain_a.cooperating_units.add(coop)
        world.chain_a.parks.add(world.park_a)
        f.SegmentFactory(chain=world.chain_a, name="上游环节A", position="upstream")
        f.TaskForceMemberFactory(chain_master=world.master_a, name="专班张三", source=MemberSource.SECONDED)
        f.MeasureFactory(chain_master=world.master_a, title="用地保障措施", kind=MeasureKind.LAND)
        response = get(client, world.staff, chain_url(world.chain_a))
        html = response.content.decode()
        assert response.status_code == 200
        for text in ("配合单位甲", "科学城A", "研发A", "上游环节A", "甲一企业", "甲二企业", "专班张三", "用地保障措施"):
            assert text in html, text
        assert "从其他企业抽调" in html  # the member's source
        assert "用地优先保障" in html  # the measure's kind
        assert "社会责任" in html  # a score label
        columns = response.context["columns"]
        assert [c["position"] for c in columns] == ["upstream", "midstream", "downstream"]
        assert [s["segment"].name for s in columns[0]["segments"]] == ["上游环节A"]

    def test_chain_detail_caps_each_segment_and_links_to_the_full_list(self, client, world):
        for _ in range(15):
            f.MembershipFactory(segment=world.seg_b, chain=world.chain_b)
        response = get(client, world.staff, chain_url(world.chain_b))
        (segment,) = response.context["columns"][1]["segments"]
        assert segment["count"] == 16
        assert len(segment["enterprises"]) == 12
        assert f"{reverse('chains:enterprise-list')}?chain={world.chain_b.pk}" in response.content.decode()
        assert "查看全部 16" in response.content.decode()

    def test_chain_master_card_is_hidden_from_who_may_not_see_the_master(self, client, world):
        # contact_a sees chain_a but chain_a's master is their own enterprise; make ent_a2 the master instead.
        world.master_a.delete()
        f.ChainMasterFactory(chain=world.chain_a, enterprise=world.ent_a2, status="designated")
        f.TaskForceMemberFactory(chain_master=world.chain_a.masters.get(), name="专班李四")
        response = get(client, world.contact_a, chain_url(world.chain_a))
        assert response.status_code == 200
        html = response.content.decode()
        assert "专班李四" not in html
        assert "甲二企业" not in html

    def test_a_seconded_members_home_enterprise_is_named_only_to_who_may_see_it(self, client, world):
        f.TaskForceMemberFactory(
            chain_master=world.master_a, name="借调李工", source=MemberSource.SECONDED, from_enterprise=world.ent_b1
        )
        response = get(client, world.leader_a, chain_url(world.chain_a))
        html = response.content.decode()
        assert "借调李工" in html
        assert world.ent_b1.name not in html
        assert enterprise_url(world.ent_b1) not in html
        staff_html = get(client, world.staff, chain_url(world.chain_a)).content.decode()
        assert world.ent_b1.name in staff_html
        assert enterprise_url(world.ent_b1) in staff_html

    def test_enterprise_detail_shows_fields_honours_chains_and_designations(self, client, world):
        f.HonourFactory(enterprise=world.ent_a1, honour=Honour.LITTLE_GIANT, year=2023)
        response = get(client, world.staff, enterprise_url(world.ent_a1))
        html = response.content.decode()
        assert response.status_code == 200
        for text in (world.ent_a1.credit_code, "小型", "科学城A", "生物医药链A", "研发A", "小巨人", "2023", "已认定"):
            assert text in html, text
        assert "中小企业" in html

    def test_park_list_and_detail_show_facilities_chiefs_enterprises_and_chains(self, client, world):
        ParkFacility.objects.create(park=world.park_a, kind=FacilityKind.VENUE, name="党群服务中心")
        ParkFacility.objects.create(park=world.park_a, kind=FacilityKind.PLATFORM, name="金融服务超市")
        world.chief_a.full_name = "赵园长"
        world.chief_a.save()
        listing = get(client, world.staff, reverse("chains:park-list"))
        html = listing.content.decode()
        for text in ("科学城A", "加速器B", "党群服务中心", "金融服务超市", "赵园长", "生物医药链A"):
            assert text in html, text
        detail = client.get(park_url(world.park_a))
        html = detail.content.decode()
        for text in ("党群服务中心", "金融服务超市", "赵园长", "生物医药链A", "甲一企业"):
            assert text in html, text
        assert detail.context["park"].enterprise_count == 1
        assert "新能源链B" not in html

    def test_park_list_searches_and_sorts_and_names_a_bad_sort_key(self, client, world):
        client.force_login(world.staff)
        found = client.get(reverse("chains:park-list"), {"q": "加速器"})
        assert [row["park"] for row in found.context["rows"]] == [world.park_b]
        by_name = client.get(reverse("chains:park-list"), {"ordering": "-name"}).context["rows"]
        assert [row["park"] for row in by_name] == [world.park_a, world.park_b]  # kē before jiā, descending
        refused = client.get(reverse("chains:park-list"), {"ordering": "size"}, HTTP_ACCEPT_LANGUAGE="en")
        assert refused.context["form"].errors["ordering"]
        assert refused.context["rows"] == []

    def test_park_detail_counts_visible_enterprises_once_whatever_the_number_of_chiefs(self, client, world):
        world.park_a.chiefs.add(f.UserFactory())
        response = get(client, world.chief_a, park_url(world.park_a))
        assert response.context["park"].enterprise_count == 1

    def test_enterprise_list_hides_chains_outside_scope(self, client, world):
        # ent_a1 also sits on chain_b; leader_a leads chain_a only and must not learn of chain_b.
        f.MembershipFactory(enterprise=world.ent_a1, segment=world.seg_b, chain=world.chain_b)
        response = get(client, world.leader_a, reverse("chains:enterprise-list"))
        assert "甲一企业" in response.content.decode()
        assert "新能源链B" not in response.content.decode()
        detail = client.get(enterprise_url(world.ent_a1))
        assert "新能源链B" not in detail.content.decode()


# --- scope --------------------------------------------------------------------------------------
@pytest.mark.django_db
class TestScope:
    def test_chain_leader_cannot_see_another_chain(self, client, world):
        response = get(client, world.leader_a, chain_url(world.chain_b))
        assert response.status_code == 404
        html = response.content.decode()
        assert "不在您的权限范围内" in html
        assert "新能源链B" not in html
        assert client.get(chain_url(world.chain_a)).status_code == 200

    def test_enterprise_contact_cannot_see_another_enterprise(self, client, world):
        assert get(client, world.contact_a, enterprise_url(world.ent_b1)).status_code == 404
        assert client.get(enterprise_url(world.ent_a1)).status_code == 200

    def test_enterprise_contact_cannot_see_another_enterprise_of_their_own_chain(self, client, world):
        assert get(client, world.contact_a, enterprise_url(world.ent_a2)).status_code == 404
        html = client.get(chain_url(world.chain_a)).content.decode()
        assert "甲二企业" not in html

    def test_park_chief_cannot_see_another_park(self, client, world):
        assert get(client, world.chief_a, park_url(world.park_b)).status_code == 404
        assert client.get(park_url(world.park_a)).status_code == 200

    def test_unit_handler_cannot_see_a_chain_not_of_their_unit(self, client, world):
        assert get(client, world.handler_a, chain_url(world.chain_b)).status_code == 404
        assert get(client, world.handler_town, chain_url(world.chain_a)).status_code == 404

    def test_first_secretary_sees_only_their_enterprise(self, client, world):
        response = get(client, world.secretary_a, reverse("chains:enterprise-list"))
        assert listed(response) == ["甲一企业"]
        assert client.get(enterprise_url(world.ent_a2)).status_code == 404

    @pytest.mark.parametrize("who", ["security", "auditor"])
    def test_administrators_get_no_business_page(self, client, world, who):
        client.force_login(getattr(world, who))
        for url in business_pages(world):
            assert client.get(url).status_code == 404, url
        assert client.get(reverse("home")).status_code == 200

    def test_anonymous_is_sent_to_login(self, client, world):
        for url in [reverse("home"), *business_pages(world)]:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login")), url

    def test_lists_show_only_what_is_in_scope(self, client, world):
        client.force_login(world.leader_a)
        chains = client.get(reverse("chains:chain-list")).context["rows"]
        assert [c.name for c in chains] == ["生物医药链A"]
        assert listed(client.get(reverse("chains:enterprise-list"))) == ["甲一企业", "甲二企业"]
        parks = client.get(reverse("chains:park-list")).context["rows"]
        assert [row["park"].name for row in parks] == ["科学城A"]


# --- enterprise list filters --------------------------------------------------------------------
@pytest.mark.django_db
class TestEnterpriseFilters:
    @pytest.fixture
    def staff_client(self, client, world):
        client.force_login(world.staff)
        return client

    def search(self, client, **params):
        return client.get(reverse("chains:enterprise-list"), params)

    def test_q_matches_part_of_the_name(self, staff_client, world):
        assert listed(self.search(staff_client, q="甲一")) == ["甲一企业"]

    def test_q_matches_the_full_credit_code(self, staff_client, world):
        assert listed(self.search(staff_client, q=world.ent_b1.credit_code)) == ["乙一企业"]
        assert listed(self.search(staff_client, q=world.ent_b1.credit_code.lower())) == ["乙一企业"]

    def test_chain_filter(self, staff_client, world):
        assert listed(self.search(staff_client, chain=world.chain_a.pk)) == ["甲一企业", "甲二企业"]

    def test_park_filter(self, staff_client, world):
        assert listed(self.search(staff_client, park=world.park_b.pk)) == ["乙一企业"]

    def test_size_filter(self, staff_client, world):
        world.ent_a2.size_class = SizeClass.MEDIUM
        world.ent_a2.save()
        assert listed(self.search(staff_client, size_class="medium")) == ["甲二企业"]

    def test_honour_filter(self, staff_client, world):
        f.HonourFactory(enterprise=world.ent_b1, honour=Honour.SINGLE_CHAMPION)
        f.HonourFactory(enterprise=world.ent_a1, honour=Honour.HIGH_TECH)
        assert listed(self.search(staff_client, honour=Honour.SINGLE_CHAMPION)) == ["乙一企业"]

    def test_a_chain_outside_scope_is_an_error_and_shows_no_rows(self, client, world):
        response = get(client, world.leader_a, reverse("chains:enterprise-list"), data={"chain": world.chain_b.pk})
        assert response.status_code == 200
        assert listed(response) == []
        html = response.content.decode()
        assert "选择一个有效的选项" in html
        assert "has-error" in html
        for name in ("甲一企业", "甲二企业", "乙一企业", "新能源链B"):
            assert name not in html

    def test_a_malformed_value_is_an_error(self, staff_client, world):
        response = self.search(staff_client, size_class="huge")
        assert listed(response) == []
        assert "size_class" in response.context["filter"].errors

    def test_pages_keep_the_querystring(self, staff_client, world):
        for _ in range(30):
            f.MembershipFactory(segment=world.seg_b, chain=world.chain_b)
        response = self.search(staff_client, chain=world.chain_b.pk)
        assert response.context["page"].paginator.count == 31
        assert len(response.context["page"].object_list) == 25
        assert f"chain={world.chain_b.pk}&amp;page=2" in response.content.decode()
        second = self.search(staff_client, chain=world.chain_b.pk, page=2)
        assert len(second.context["page"].object_list) == 6


# --- query counts ------------------------------------------------------------------------------
# Each test counts the page's queries with a few rows, grows the data six-fold and asserts the same
# count: a per-row query (a missing select_related / prefetch) fails it.
FEW, MANY = 5, 30


def _grow_enterprises(world, n):
    for i in range(n):
        enterprise = f.EnterpriseFactory(park=world.park_a if i % 2 else world.park_b)
        f.MembershipFactory(enterprise=enterprise, segment=world.seg_a, chain=world.chain_a)
        f.HonourFactory(enterprise=enterprise)


def _grow_chains(world, n):
    for _ in range(n):
        segment = f.SegmentFactory()
        enterprise = f.EnterpriseFactory()
        f.MembershipFactory(enterprise=enterprise, segment=segment)
        f.LeadershipFactory(chain=segment.chain)
        f.LeadershipFactory(chain=segment.chain, role=LeaderRole.DEPUTY)
        f.ChainMasterFactory(chain=segment.chain, enterprise=enterprise, status="designated")


def _grow_master(world, n):
    _grow_enterprises(world, n)
    for _ in range(n):
        f.TaskForceMemberFactory(chain_master=world.master_a, from_enterprise=world.ent_b1)
        f.MeasureFactory(chain_master=world.master_a)
        f.SegmentFactory(chain=world.chain_a, position="downstream")


def _grow_parks(world, n):
    for _ in range(n):
        park = f.ParkFactory()
        park.chiefs.add(world.chief_a, f.UserFactory())
        ParkFacility.objects.create(park=park, kind=FacilityKind.VENUE, name="党群服务中心")
        f.MembershipFactory(enterprise=f.EnterpriseFactory(park=park), segment=world.seg_a, chain=world.chain_a)


def _count_queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def stays_flat(client, django_assert_num_queries):
    """Count a page's queries after ``grow(FEW)``, then ``grow(MANY - FEW)`` and assert the very same
    count: the page's queries do not grow with the data. Returns the larger page's response."""

    def check(user, url, grow, data=None):
        client.force_login(user)
        grow(FEW)
        expected = _count_queries(client, url, data)
        grow(MANY - FEW)
        with django_assert_num_queries(expected):
            return client.get(url, data)

    return check


@pytest.mark.django_db
class TestQueryCounts:
    @pytest.mark.parametrize("who", ["staff", "leader_a", "chief_a"])
    def test_enterprise_list(self, world, stays_flat, who):
        grow = partial(_grow_enterprises, world)
        url, data = reverse("chains:enterprise-list"), {"chain": world.chain_a.pk}
        response = stays_flat(getattr(world, who), url, grow, data)
        assert response.context["page"].paginator.count >= (MANY if who != "chief_a" else MANY // 2)

    def test_enterprise_list_with_every_filter(self, world, stays_flat):
        data = {"q": "企业", "chain": world.chain_a.pk, "park": world.park_a.pk, "size_class": "small"}
        data["honour"] = Honour.HIGH_TECH
        stays_flat(world.staff, reverse("chains:enterprise-list"), partial(_grow_enterprises, world), data)

    @pytest.mark.parametrize("who", ["staff", "handler_a"])
    def test_chain_list(self, world, stays_flat, who):
        response = stays_flat(getattr(world, who), reverse("chains:chain-list"), partial(_grow_chains, world))
        if who == "staff":
            assert response.context["page"].paginator.count == MANY + 2

    def test_chain_detail(self, world, stays_flat):
        stays_flat(world.staff, chain_url(world.chain_a), partial(_grow_master, world))

    def test_park_list(self, world, stays_flat):
        response = stays_flat(world.staff, reverse("chains:park-list"), partial(_grow_parks, world))
        assert response.context["page"].paginator.count == MANY + 2

    def test_enterprise_detail(self, world, stays_flat):
        def grow(n):
            # More chains for the same enterprise, each with its segment and a chain-master candidacy.
            for _ in range(n):
                segment = f.SegmentFactory()
                f.MembershipFactory(enterprise=world.ent_a1, segment=segment)
                f.ChainMasterFactory(chain=segment.chain, enterprise=world.ent_a1)

        response = stays_flat(world.staff, enterprise_url(world.ent_a1), grow)
        assert len(response.context["designations"]) == MANY + 1

    def test_park_detail(self, world, stays_flat):
        def grow(n):
            _grow_enterprises(world, 2 * n)  # half of them in park_a
            for i in range(n):
                world.park_a.chiefs.add(f.UserFactory())
                ParkFacility.objects.create(park=world.park_a, kind=FacilityKind.PLATFORM, name=f"平台{n}-{i}")
                f.MembershipFactory(enterprise=f.EnterpriseFactory(park=world.park_a))

        response = stays_flat(world.staff, park_url(world.park_a), grow)
        assert len(response.context["chains"]) == MANY + 1


# --- language -----------------------------------------------------------------------------------
@pytest.mark.django_db
class TestLanguage:
    def test_pages_are_in_chinese_by_default(self, client, world):
        html = get(client, world.staff, reverse("chains:enterprise-list")).content.decode()
        assert "企业" in html
        assert "统一社会信用代码" in html
        assert "链长制党建工作平台" in html
        assert "Unified social credit code" not in html

    def test_pages_are_in_english_with_the_language_cookie(self, client, world, settings):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        html = get(client, world.staff, reverse("chains:enterprise-list")).content.decode()
        assert "Unified social credit code" in html
        assert "统一社会信用代码" not in html

    def test_pages_are_in_english_with_accept_language(self, client, world):
        html = get(client, world.staff, reverse("chains:chain-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Lead unit" in html
        assert "牵头部门" not in html

    def test_the_language_switcher_sets_english(self, client, world):
        client.force_login(world.staff)
        response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
        assert response.status_code == 302
        assert "Industrial chains" in client.get(reverse("chains:chain-list")).content.decode()
