"""Finding party organizations (issue 10): search, sort and date range with the same parameters on
the page and the API, within the user's scope."""

import re
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(world):
    return {
        "a": f.PartyOrganizationFactory(
            name="乙一企业党支部", covers=[world.ent_b1], formal_members=9, established_on=date(2020, 5, 1)
        ),
        "b": f.PartyOrganizationFactory(
            name="甲一企业党支部", covers=[world.ent_a1], formal_members=4, established_on=date(2018, 7, 1)
        ),
        "c": f.PartyOrganizationFactory(name="甲二企业党支部", covers=[world.ent_a2], formal_members=3),
    }


def api_names(api, user, **params) -> list[str]:
    api.force_authenticate(User.objects.get(pk=user.pk))
    response = api.get(reverse("party-organization-list"), params)
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def page_names(client, user, **params) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("partyorgs:org-list"), params)
    assert response.status_code == 200
    return re.findall(r'<th scope="row"><a href="/party-orgs/\d+/">([^<]+)</a>', response.content.decode())


def test_organizations_sort_in_pinyin_order_and_by_members_on_the_page_and_the_api(client, api, world, orgs):
    pinyin = ["甲二企业党支部", "甲一企业党支部", "乙一企业党支部"]
    assert api_names(api, world.staff, ordering="name") == pinyin
    assert page_names(client, world.staff, ordering="name") == pinyin
    assert api_names(api, world.staff, sort="-formal_members") == ["乙一企业党支部", "甲一企业党支部", "甲二企业党支部"]


def test_organizations_keep_to_an_establishment_date_range(client, api, world, orgs):
    window = {"established_after": "2019-01-01", "established_before": "2021-12-31"}
    assert api_names(api, world.staff, **window) == ["乙一企业党支部"]
    assert page_names(client, world.staff, **window) == ["乙一企业党支部"]


def test_searching_organizations_stays_in_scope(client, api, world, orgs):
    assert api_names(api, world.leader_a, q="乙一") == []
    assert page_names(client, world.leader_a, q="乙一") == []
    assert api_names(api, world.leader_a, q="甲一", ordering="name") == ["甲一企业党支部"]
