"""The big screen (/dashboard/screen/): the district staff's alone (404 for everyone else, as the
district dashboard), the district's figures of figures.build in large tiles and charts, a page of its
own without the site menu, set up to refresh itself, and a query count that does not grow with the
data. Its layout at 1920×1080 is checked in Chromium (tests/e2e/test_dashboards.py)."""

import re
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from dashboards import charts
from dashboards.views import SCREEN_REFRESH_SECONDS
from tests.dashboards.conftest import NOW
from tests.dashboards.test_pages import OPENS, grow

pytestmark = pytest.mark.django_db

SCREEN = reverse("dashboards:screen")


@pytest.mark.parametrize("who", list(OPENS))
def test_only_district_staff_open_the_big_screen(world, client, who):
    client.force_login(getattr(world, who))
    assert client.get(SCREEN).status_code == (200 if "district" in OPENS[who] else 404)


@pytest.mark.parametrize("who", ["security", "auditor"])
def test_the_administrators_cannot_see_the_big_screen(world, client, who):
    client.force_login(getattr(world, who))
    assert client.get(SCREEN).status_code == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(SCREEN)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def tile(html: str, href: str) -> str:
    """The value of the tile that links to href (the first one, when several do)."""
    href = href.replace("&", "&amp;")
    match = re.search(rf'<a href="{re.escape(href)}"><span class="tile-value">([^<]*)</span>', html)
    assert match, href
    return match.group(1).strip()


@time_machine.travel(NOW, tick=False)
def test_the_big_screen_shows_the_district_figures_of_this_quarter(ledger, client):
    """The ledger's hand counts (tests/dashboards/test_figures.py), as the district dashboard shows them."""
    world = ledger.world
    client.force_login(world.staff)
    response = client.get(SCREEN)
    assert response.status_code == 200
    assert response.context["period"].start.isoformat() == "2026-10-01"
    data, links = response.context["figures"], response.context["links"]
    assert data["kind"] == "district"
    html = response.content.decode()
    assert tile(html, links["enterprises"]) == "3"
    assert tile(html, links["should_establish"]) == "1"  # 甲二
    assert tile(html, links["issues"]["received"]) == "7"
    assert tile(html, links["issues"]["open"]) == "5"
    assert tile(html, links["issues"]["overdue"]) == "1"  # A3
    assert tile(html, links["issues"]["escalated"]) == "3"
    assert tile(html, links["meetings"]) == "1 / 2"  # A's minuted, B's planned
    # The time the figures were computed, and the period.
    assert 'data-server-now="1795147200"' in html  # the clock starts from the server's time
    asof = re.search(r'id="screen-asof" data-refresh>([^<]*)<', html).group(1)
    assert "12:00" in asof
    assert "2026-10-01" in asof
    assert "2026-12-31" in asof
    # Each chart of the screen's list, drawn from its data islands.
    ids = [chart["id"] for chart in response.context["charts"]]
    assert ids == [chart["id"] for chart in charts.for_screen(data)]
    for chart_id in ids:
        assert f'id="{chart_id}-series"' in html


def test_the_big_screen_is_a_dark_page_of_its_own_that_refreshes_itself(world, client):
    client.force_login(world.staff)
    html = client.get(SCREEN).content.decode()
    assert re.search(r'<html lang="[^"]+" data-theme="dark">', html)
    assert 'id="main-nav"' not in html  # no site menu
    assert f'data-refresh-seconds="{SCREEN_REFRESH_SECONDS}"' in html
    assert SCREEN_REFRESH_SECONDS <= 60  # fresh within a minute (issue 14)
    assert 'data-time-zone="Asia/Shanghai"' in html
    for script in ("vendor/echarts/echarts.min.js", "js/charts.js", "js/screen.js"):
        assert f"/static/{script}" in html
    assert "/static/css/screen.css" in html
    # What the refresh swaps in, by id.
    assert re.search(r'id="screen-figures" data-refresh', html)
    assert re.search(r'id="screen-asof" data-refresh', html)
    assert f'href="{reverse("dashboards:district")}"' in html  # the way back


def test_the_district_dashboard_links_to_the_big_screen_and_a_chain_dashboard_does_not(world, client):
    client.force_login(world.staff)
    assert f'href="{SCREEN}"' in client.get(reverse("dashboards:district")).content.decode()
    chain = client.get(reverse("dashboards:chain", args=[world.chain_a.pk])).content.decode()
    assert f'href="{SCREEN}"' not in chain


def test_a_bad_period_is_a_400_naming_it_on_the_screen(world, client):
    client.force_login(world.staff)
    response = client.get(SCREEN, {"period": "decade"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"period"}
    assert "figures" not in response.context
    assert 'role="alert"' in response.content.decode()


def test_the_screen_ranks_only_the_best_units_and_the_dashboard_all():
    units = [
        {"id": i, "name": f"单位{i}", "on_time_rate": Decimal("0.9"), "satisfaction_rate": None} for i in range(12)
    ]
    figures = {
        "links": {
            "months": [],
            "issues": {f"escalated_{n}": "" for n in (1, 2, 3)},
            "units": dict.fromkeys(range(12), ""),
        },
        "trend": [],
        "issues": {f"escalated_{n}": 0 for n in (1, 2, 3)},
        "registry": {"honours": []},
        "segments": [],
        "chains": [],
        "units": units,
    }
    page = {chart["id"]: chart for chart in charts.for_page(figures)}
    screen = {chart["id"]: chart for chart in charts.for_screen(figures)}
    assert list(page) == list(screen)
    assert len(page["chart-units"]["labels"]) == 12
    assert screen["chart-units"]["labels"] == [f"单位{i}" for i in range(charts.SCREEN_UNITS)]
    assert screen["chart-units"]["series"][0]["data"] == [Decimal("90.0")] * charts.SCREEN_UNITS
    assert str(charts.SCREEN_UNITS) in screen["chart-units"]["title"]
    # With no more units than fit, the screen's chart is the dashboard's.
    figures["units"] = units[:3]
    assert charts.for_screen(figures)[-1] == charts.for_page(figures)[-1]


# The district's figures (figures.build: 19, as on the API) plus the session, the user, their roles and
# the two counts of the menu's badges (督办件, unread), which the context processor asks for every page;
# nothing for the dashboards to switch to (the screen has no menu).
SCREEN_QUERIES = 26


def test_the_screen_query_count_does_not_grow_with_the_data(ledger, client, django_assert_num_queries):
    world = ledger.world
    world.grown = []
    client.force_login(world.staff)
    client.get(SCREEN)  # what a process reads once (the user's roles, the calendar) is read here
    for more in (2, 6):
        grow(world, more)
        cache.clear()  # computed afresh, not served from the minute's cache
        with django_assert_num_queries(SCREEN_QUERIES):
            assert client.get(SCREEN).status_code == 200
