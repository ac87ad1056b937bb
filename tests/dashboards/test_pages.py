"""Who opens which dashboard (page and API alike), the period's errors, and the query count, which
does not grow with the data."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from issues.models import Status
from tests import factories as f
from tests.clock import at
from tests.dashboards.conftest import make_issue

pytestmark = pytest.mark.django_db


def urls(world):
    return {
        "district": (reverse("dashboards:district"), reverse("dashboard-district")),
        "chain_a": (
            reverse("dashboards:chain", args=[world.chain_a.pk]),
            reverse("dashboard-chain", args=[world.chain_a.pk]),
        ),
        "chain_b": (
            reverse("dashboards:chain", args=[world.chain_b.pk]),
            reverse("dashboard-chain", args=[world.chain_b.pk]),
        ),
        "park_a": (
            reverse("dashboards:park", args=[world.park_a.pk]),
            reverse("dashboard-park", args=[world.park_a.pk]),
        ),
        "park_b": (
            reverse("dashboards:park", args=[world.park_b.pk]),
            reverse("dashboard-park", args=[world.park_b.pk]),
        ),
    }


# Which dashboards each of the cast opens; every other one is a 404, on the page and the API.
OPENS = {
    "staff": {"district", "chain_a", "chain_b", "park_a", "park_b"},
    "leader_a": {"chain_a"},
    "leader_b": {"chain_b"},
    "chief_a": {"park_a"},
    "handler_a": set(),
    "secretary_a": set(),
    "contact_a": set(),
    "outsider": set(),
}


@pytest.mark.parametrize("who", list(OPENS))
def test_each_role_opens_its_dashboards_and_cannot_see_the_others(world, client, api, who):
    user = getattr(world, who)
    client.force_login(user)
    api.force_authenticate(user)
    for name, (page, endpoint) in urls(world).items():
        expected = 200 if name in OPENS[who] else 404
        assert client.get(page).status_code == expected, (who, page)
        response = api.get(endpoint)
        assert response.status_code == expected, (who, endpoint)
        if expected == 404:
            assert response.json()["code"] == "not_found"


def test_a_missing_chain_or_park_is_a_404(world, client):
    client.force_login(world.staff)
    assert client.get(reverse("dashboards:chain", args=[999999])).status_code == 404
    assert client.get(reverse("dashboards:park", args=[999999])).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(world, client, api):
    response = client.get(reverse("dashboards:district"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert api.get(reverse("dashboard-district")).status_code in (401, 403)


def test_the_dashboard_entry_takes_each_user_to_their_own(world, client):
    for who, target in (
        ("staff", reverse("dashboards:district")),
        ("leader_a", reverse("dashboards:chain", args=[world.chain_a.pk])),
        ("chief_a", reverse("dashboards:park", args=[world.park_a.pk])),
    ):
        client.force_login(getattr(world, who))
        response = client.get(reverse("dashboards:index"))
        assert (response.status_code, response["Location"]) == (302, target), who
    client.force_login(world.contact_a)
    assert client.get(reverse("dashboards:index")).status_code == 404


def test_a_bad_period_names_each_field_on_the_api_and_the_page(world, client, api):
    api.force_authenticate(world.staff)
    response = api.get(reverse("dashboard-district"), {"period": "custom", "start": "2026-13-01"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"start", "end"}
    response = api.get(reverse("dashboard-district"), {"period": "decade", "on": "9999-12-31"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"period", "on"}
    response = api.get(reverse("dashboard-district"), {"period": "custom", "start": "2026-06-01", "end": "2026-01-01"})
    assert list(response.json()["errors"]) == ["end"]
    # Never silently ignored: a custom range's day with another period, or a blank parameter.
    response = api.get(reverse("dashboard-district"), {"period": "month", "start": "2026-01-01"})
    assert list(response.json()["errors"]) == ["start"]
    response = api.get(reverse("dashboard-district"), {"on": ""})
    assert list(response.json()["errors"]) == ["on"]

    client.force_login(world.staff)
    response = client.get(reverse("dashboards:district"), {"period": "custom", "start": "2026-13-01"})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"start", "end"}
    assert "figures" not in response.context


def test_the_api_returns_the_figures_of_the_period_asked_for(ledger, api):
    api.force_authenticate(ledger.world.staff)
    response = api.get(reverse("dashboard-district"), {"period": "custom", "start": "2026-10-01", "end": "2026-10-31"})
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {"kind": "custom", "start": "2026-10-01", "end": "2026-10-31"}
    # October: A1 A2 A6 B2 received; A1 on time, A2 late.
    assert (data["issues"]["received"], data["issues"]["resolved"], data["issues"]["on_time_rate"]) == (4, 2, 0.5)


def grow(world, n):
    """n more enterprises on chain A in park A, each with an issue, an honour and a posting."""
    for i in range(n):
        enterprise = f.EnterpriseFactory(park=world.park_a)
        f.MembershipFactory(enterprise=enterprise, segment=world.seg_a, chain=world.chain_a)
        f.HonourFactory(enterprise=enterprise)
        f.PostingFactory(enterprise=enterprise)
        unit = f.UnitFactory()
        world.chain_a.cooperating_units.add(unit)
        make_issue(
            world,
            enterprise=enterprise,
            chain=world.chain_a,
            status=Status.CLOSED,
            created=at(11, 2),
            due=at(11, 20),
            resolved=at(11, 10),
            number=f"G{len(world.grown)}-{i}",
        )
    world.grown.append(n)


# The queries of each dashboard: the API's are the figures' (figures.build) plus the token user's
# roles; the page adds the session, the user, the menu's badges and the dashboards it may switch to.
# A new figure's queries are a decision: raise these with it.
QUERIES = {"district": (21, 28), "chain_a": (27, 34), "park_a": (13, 20)}
# Of the API's, those of figures.build (the rest: the chain or park read to check the reader may open it).
FIGURES = {"district": 21, "chain_a": 26, "park_a": 11}


@pytest.mark.parametrize("dashboard", list(QUERIES))
def test_the_query_count_does_not_grow_with_the_data(ledger, client, api, dashboard, django_assert_num_queries):
    world = ledger.world
    world.grown = []
    page, endpoint = urls(world)[dashboard]
    on_api, on_page = QUERIES[dashboard]
    client.force_login(world.staff)
    api.force_authenticate(world.staff)
    api.get(endpoint)  # what a process reads once (the user's roles, the calendar) is read here
    client.get(page)
    for more in (2, 6):
        grow(world, more)
        cache.clear()  # computed afresh (else served from the minute's cache: below)
        with django_assert_num_queries(on_api):
            assert api.get(endpoint).status_code == 200
        cache.clear()
        with django_assert_num_queries(on_page):
            assert client.get(page).status_code == 200
    # Within the minute, the figures computed above are served again: none of their queries.
    with django_assert_num_queries(on_api - FIGURES[dashboard]):
        assert api.get(endpoint).status_code == 200
