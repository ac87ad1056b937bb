"""The unit directory (/api/v1/units/): open to every user with a role, closed to the rest."""

import pytest
from django.urls import reverse

from accounts.models import Unit, UnitKind, User
from tests import factories as f

pytestmark = pytest.mark.django_db

UNITS = reverse("unit-list")


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


@pytest.mark.parametrize(
    "who",
    ["staff", "leader_a", "handler_town", "chief_a", "secretary_a", "contact_b", "security", "auditor"],
)
def test_every_user_with_a_role_reads_the_whole_directory(world, api, who):
    as_user(api, getattr(world, who))
    assert names(api.get(UNITS)) == sorted(Unit.objects.values_list("name", flat=True))


def test_a_user_without_a_role_is_refused(world, api):
    as_user(api, world.outsider)
    response = api.get(UNITS)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert api.get(reverse("unit-detail", args=[world.dept_a.pk])).status_code == 403


def test_anonymous_callers_are_refused(world, api):
    response = api.get(UNITS)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_filter_by_kind(world, api):
    as_user(api, world.leader_a)
    assert names(api.get(UNITS, {"kind": UnitKind.INDUSTRY_PARTY_COMMITTEE})) == ["行业党委A"]
    assert api.get(UNITS, {"kind": "nonsense"}).json()["errors"].keys() == {"kind"}


def test_a_unit_names_its_industry_committee(world, api):
    as_user(api, world.handler_a)
    body = api.get(reverse("unit-detail", args=[world.dept_a.pk])).json()
    assert body == {
        "id": world.dept_a.pk,
        "name": "经济部门A",
        "short_name": "",
        "kind": "economic_department",
        "industry_committee": {"id": world.ic_a.pk, "name": "行业党委A"},
    }


def test_inactive_units_are_left_out(world, api):
    Unit.objects.filter(pk=world.town.pk).update(is_active=False)
    as_user(api, world.staff)
    assert "镇街C" not in names(api.get(UNITS))
    assert api.get(reverse("unit-detail", args=[world.town.pk])).status_code == 404


def test_the_directory_costs_the_same_queries_whatever_its_size(world, api, django_assert_num_queries):
    def grow(n):
        for _ in range(n):
            f.UnitFactory(industry_committee=world.ic_a)

    grow(4)
    as_user(api, world.staff)
    with django_assert_num_queries(3):  # roles, count, page (industry committees joined)
        first = api.get(UNITS)
    grow(8)
    as_user(api, world.staff)
    with django_assert_num_queries(3):
        second = api.get(UNITS)
    assert second.json()["count"] == first.json()["count"] + 8
