"""The dashboards' figures are served again for a minute (dashboards.figures.current), never longer,
never for another subject, period or language, and a cache that is down costs only the computation."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from dashboards.figures import FRESH_SECONDS
from issues.models import Status
from tests.dashboards.conftest import NOW, make_issue

pytestmark = pytest.mark.django_db

DISTRICT = reverse("dashboard-district")


def received(api, url=DISTRICT, **params) -> tuple[int, str]:
    body = api.get(url, params)
    assert body.status_code == 200, body.content
    data = body.json()
    return data["issues"]["received"], data["computed_at"]


def new_issue(world, number: str) -> None:
    make_issue(world, number=number, enterprise=world.ent_a1, chain=world.chain_a, status=Status.SUBMITTED, created=NOW)


def test_a_new_issue_shows_once_the_minute_is_over(ledger, api):
    world = ledger.world
    api.force_authenticate(world.staff)
    with time_machine.travel(NOW, tick=False):
        before, computed = received(api)
    new_issue(world, "N1")
    with time_machine.travel(NOW + timedelta(seconds=FRESH_SECONDS - 1), tick=False):
        assert received(api) == (before, computed)  # the same figures, computed when they say
    with time_machine.travel(NOW + timedelta(seconds=FRESH_SECONDS), tick=False):
        assert received(api)[0] == before + 1


def test_figures_are_kept_apart_by_subject_period_and_language(ledger, api):
    """The ledger's hand counts (test_figures): Q4 received 7 in the district, 5 on chain A, 2 on B."""
    world = ledger.world
    api.force_authenticate(world.staff)
    chain_a = reverse("dashboard-chain", args=[world.chain_a.pk])
    chain_b = reverse("dashboard-chain", args=[world.chain_b.pk])
    with time_machine.travel(NOW, tick=False):
        assert received(api)[0] == 7
        assert received(api, chain_a)[0] == 5
        assert received(api, chain_b)[0] == 2
        assert api.get(chain_b).json()["subject"]["id"] == world.chain_b.pk
        assert api.get(DISTRICT, {"period": "month"}).json()["period"]["start"] == "2026-11-01"
        assert api.get(DISTRICT).json()["period"]["start"] == "2026-10-01"
        zh = api.get(DISTRICT).json()["registry"]["honours"][0]["label"]
        en = api.get(DISTRICT, HTTP_ACCEPT_LANGUAGE="en").json()["registry"]["honours"][0]["label"]
    assert zh.startswith("国家级")  # 国家级专精特新"小巨人"
    assert en.startswith("National")


def test_a_chain_leader_never_reads_another_chains_kept_figures(ledger, api):
    world = ledger.world
    chain_b = reverse("dashboard-chain", args=[world.chain_b.pk])
    with time_machine.travel(NOW, tick=False):
        api.force_authenticate(world.staff)
        assert api.get(chain_b).status_code == 200  # chain B's figures, kept for the minute
        api.force_authenticate(world.leader_a)
        assert api.get(chain_b).status_code == 404


# Nothing listens there: every read and write of this cache fails with a connection error.
DEAD_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
}


def test_a_cache_that_is_down_costs_the_computation_not_the_page(ledger, api, client):
    world = ledger.world
    api.force_authenticate(world.staff)
    client.force_login(world.staff)
    with time_machine.travel(NOW, tick=False):
        before, _ = received(api)
        with override_settings(CACHES=DEAD_REDIS):
            new_issue(world, "N2")
            assert received(api)[0] == before + 1  # computed, since nothing could be kept
            assert client.get(reverse("dashboards:district")).status_code == 200
            assert client.get(reverse("dashboards:screen")).status_code == 200


def test_the_figures_say_when_they_were_computed(ledger, api):
    api.force_authenticate(ledger.world.staff)
    with time_machine.travel(NOW, tick=False):
        _, computed = received(api)
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        assert received(api)[1] == computed == api.get(DISTRICT).json()["computed_at"]
    assert datetime.fromisoformat(computed) == NOW


def test_the_big_screen_clock_is_the_servers_now_not_the_figures_time(ledger, client):
    client.force_login(ledger.world.staff)
    with time_machine.travel(NOW, tick=False):
        client.get(reverse("dashboards:screen"))
    later = NOW + timedelta(seconds=30)
    with time_machine.travel(later, tick=False):
        response = client.get(reverse("dashboards:screen"))
    assert response.context["figures"]["computed_at"] == NOW  # served again
    assert f'data-server-now="{int(later.timestamp())}"' in response.content.decode()
