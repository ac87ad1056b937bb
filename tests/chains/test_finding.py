"""Finding chains and enterprises (issue 10): search, sort and date range with the same parameters
on the page and the API, the links between chains, enterprises and their issues, and the export of
the list as filtered — each within the user's scope."""

import io
import re
from datetime import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from chainparty.dates import SHANGHAI
from chains.models import Enterprise
from tests import factories as f

pytestmark = pytest.mark.django_db

ENTERPRISES = reverse("chains:enterprise-list")
CHAINS = reverse("chains:chain-list")


def api_names(api, user, name, **params) -> list[str]:
    api.force_authenticate(User.objects.get(pk=user.pk))
    response = api.get(reverse(name), params)
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def page_names(client, user, url, **params) -> list[str]:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return re.findall(r'<th scope="row"><a href="/chains/[^"]+">([^<]+)</a></th>', response.content.decode())


@pytest.fixture
def added(world):
    """ent_a1 added on 1 March, ent_a2 on 3 March, ent_b1 on 5 March (Asia/Shanghai)."""
    for enterprise, day in ((world.ent_a1, 1), (world.ent_a2, 3), (world.ent_b1, 5)):
        Enterprise.objects.filter(pk=enterprise.pk).update(created_at=datetime(2026, 3, day, 9, tzinfo=SHANGHAI))
    Enterprise.objects.filter(pk=world.ent_a2.pk).update(employees=500)


# --- enterprises --------------------------------------------------------------------------------------
def test_enterprises_sort_by_name_in_pinyin_order_on_the_page_and_the_api(client, api, world):
    pinyin = ["甲二企业", "甲一企业", "乙一企业"]  # jiǎ èr, jiǎ yī, yǐ yī
    assert api_names(api, world.staff, "enterprise-list", ordering="name") == pinyin
    assert page_names(client, world.staff, ENTERPRISES, ordering="name") == pinyin
    assert api_names(api, world.staff, "enterprise-list", sort="-name") == pinyin[::-1]


def test_enterprises_sort_by_figures_and_filter_by_the_day_they_were_added(client, api, world, added):
    assert api_names(api, world.staff, "enterprise-list", ordering="-employees")[0] == "甲二企业"
    window = {"created_after": "2026-03-02", "created_before": "2026-03-05", "ordering": "created"}
    assert api_names(api, world.staff, "enterprise-list", **window) == ["甲二企业", "乙一企业"]
    assert page_names(client, world.staff, ENTERPRISES, **window) == ["甲二企业", "乙一企业"]


def test_enterprise_search_by_name_or_credit_code_stays_in_scope(client, api, world):
    assert api_names(api, world.staff, "enterprise-list", q=world.ent_b1.credit_code) == ["乙一企业"]
    assert api_names(api, world.staff, "enterprise-list", search="乙一") == ["乙一企业"]
    assert api_names(api, world.leader_a, "enterprise-list", q="乙一") == []
    assert page_names(client, world.leader_a, ENTERPRISES, q=world.ent_b1.credit_code) == []


def test_an_unknown_enterprise_sort_key_is_shown_on_the_page_naming_the_keys(client, world):
    client.force_login(world.staff)
    page = client.get(ENTERPRISES, {"ordering": "phone"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "“phone” is not a sort key; sort by one of: name, -name, credit_code" in page
    assert "甲一企业</a></th>" not in page


# --- chains ---------------------------------------------------------------------------------------------
def test_chains_search_and_sort_on_the_page_and_the_api(client, api, world):
    assert api_names(api, world.staff, "chain-list", q="chain-b") == ["新能源链B"]
    assert page_names(client, world.staff, CHAINS, q="新能源") == ["新能源链B"]
    assert api_names(api, world.staff, "chain-list", ordering="-enterprises") == ["生物医药链A", "新能源链B"]
    assert page_names(client, world.staff, CHAINS, ordering="name") == ["生物医药链A", "新能源链B"]  # shēng, xīn
    assert api_names(api, world.leader_a, "chain-list", q="新能源") == []


def test_a_chain_links_to_its_issues_and_its_enterprises(client, world):
    client.force_login(world.leader_a)
    page = client.get(reverse("chains:chain-detail", args=[world.chain_a.code])).content.decode()
    assert f'href="{reverse("issues:issue-list")}?chain={world.chain_a.pk}"' in page
    assert f'href="{ENTERPRISES}?chain={world.chain_a.pk}"' in page
    assert client.get(reverse("issues:issue-list"), {"chain": world.chain_a.pk}).status_code == 200


# --- export ---------------------------------------------------------------------------------------------
def exported(client, user, name, params) -> list[tuple]:
    client.force_login(user)
    response = client.post(reverse("jobs:export", args=[name]), {"params": params})
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))


def test_the_enterprise_export_is_the_filtered_list_in_its_order(client, world, added):
    rows = exported(client, world.staff, "chains.enterprises", "created_after=2026-03-02&ordering=-created")
    assert [(row[0], row[1]) for row in rows] == [
        ("乙一企业", world.ent_b1.credit_code),
        ("甲二企业", world.ent_a2.credit_code),
    ]


def test_the_enterprise_export_keeps_to_the_users_scope(client, world):
    assert [row[0] for row in exported(client, world.contact_a, "chains.enterprises", "")] == ["甲一企业"]
    assert [row[0] for row in exported(client, world.leader_b, "chains.enterprises", "q=甲")] == []


def test_the_chain_export_keeps_to_the_users_scope(client, world):
    assert [row[0] for row in exported(client, world.leader_a, "chains.chains", "")] == ["生物医药链A"]
    assert [row[0] for row in exported(client, world.staff, "chains.chains", "ordering=name")] == [
        "生物医药链A",
        "新能源链B",
    ]


def test_an_enterprise_name_that_looks_like_a_formula_is_exported_as_text(client, world):
    Enterprise.objects.filter(pk=world.ent_a1.pk).update(name="=CMD()")
    assert exported(client, world.contact_a, "chains.enterprises", "")[0][0] == "'=CMD()"


# --- queries ----------------------------------------------------------------------------------------------
PARAMS = {"q": "企业", "ordering": "-employees", "created_after": "2026-01-01"}


def _more_enterprises(world, n: int) -> None:
    for index in range(n):
        enterprise = f.EnterpriseFactory(name=f"企业{n}-{index}")
        f.MembershipFactory(enterprise=enterprise, segment=world.seg_a, chain=world.chain_a)
        f.HonourFactory(enterprise=enterprise)


# The API: roles, the page with its count, its honours and its memberships; the HTML page counts apart
# and adds the session, the menu (the inbox and 督办件 badges) and the filter form's chains and parks.
@pytest.mark.parametrize(("who", "page_queries", "api_queries"), [("staff", 11, 4), ("leader_a", 11, 4)])
def test_searching_and_sorting_enterprises_cost_the_same_queries_for_more_rows(
    client, api, world, django_assert_num_queries, who, page_queries, api_queries
):
    user = getattr(world, who)
    client.force_login(user)
    for n in (2, 6):
        _more_enterprises(world, n)
        with django_assert_num_queries(page_queries):
            assert client.get(ENTERPRISES, PARAMS).status_code == 200
        api.force_authenticate(User.objects.get(pk=user.pk))
        with django_assert_num_queries(api_queries):
            assert api.get(reverse("enterprise-list"), PARAMS).status_code == 200
