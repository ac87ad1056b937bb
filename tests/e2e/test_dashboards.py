"""The dashboards in Debian's Chromium (issue 14, "done when"): the chain leader's dashboard on a
desktop and a phone draws every chart (ECharts' SVG in each .chart-canvas), with no console error; a
chart's table is one click away; a tile leads to the list behind its number. The big screen fills
1920×1080 without scrolling and refreshes itself a minute later without reloading the page.
A screenshot of each is kept in test-results/dashboards/ (CI keeps test-results/ as an artifact)."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dashboards.figures import FRESH_SECONDS
from tests.clock import at
from tests.dashboards.conftest import ledger  # noqa: F401 - fixture, by name
from tests.issues.builders import issue_in
from tests.issues.conftest import calendar_2026  # noqa: F401 - fixture, by name

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RESULTS = Path(settings.BASE_DIR) / "test-results" / "dashboards"
VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
SCREEN = {"width": 1920, "height": 1080}
# The ledger's year, whatever today is: its issues fall in October and November 2026.
YEAR = "?period=year&on=2026-11-20"
EVERY_CANVAS_DRAWN = """() => {
  const canvases = [...document.querySelectorAll("figure.chart .chart-canvas")];
  return canvases.length > 0 && canvases.every((canvas) => {
    const svg = canvas.querySelector("svg");
    return svg && svg.getBoundingClientRect().height > 50 && svg.querySelectorAll("path, rect, text").length > 0;
  });
}"""
SCROLL = """() => ({
  height: document.scrollingElement.scrollHeight, width: document.scrollingElement.scrollWidth,
  innerHeight: window.innerHeight, innerWidth: window.innerWidth,
})"""


@pytest.fixture
def history(ledger, calendar_2026):  # noqa: F811 - the imported fixtures, by name
    """The hand-counted ledger plus an issue of chain A handled by its lead unit through the real
    services, so the units' chart has a rate to draw."""
    issue_in(ledger.world, "closed", at=at(11, 2, 10), title="研发用房租金补贴")
    return ledger.world


@pytest.fixture
def console(page):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Correct-Horse-42")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def screenshot(page, name: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=RESULTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_chain_leaders_dashboard_draws_its_charts_and_leads_to_the_lists(
    page, live_server, history, console, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.emulate_media(reduced_motion="reduce")  # the charts drawn at once: a steady screenshot
    sign_in(page, live_server, "leader_a")
    page.goto(f"{live_server.url}{reverse('dashboards:chain', args=[history.chain_a.pk])}{YEAR}")
    expect(page.locator("h1")).to_contain_text(history.chain_a.name)

    # Every chart of the page has figures for the year, and each is drawn.
    figures = page.locator("figure.chart")
    assert figures.count() == 6
    assert page.locator("figure.chart .chart-empty").count() == 0
    page.wait_for_function(EVERY_CANVAS_DRAWN)
    expect(page.locator("figure.chart.drawn")).to_have_count(6)
    size = page.evaluate(SCROLL)
    assert size["width"] <= size["innerWidth"], size  # nothing sideways, on the phone too
    if viewport == "phone":  # the same figures in one column
        lefts = {round(figures.nth(i).bounding_box()["x"]) for i in range(figures.count())}
        assert len(lefts) == 1, lefts
    screenshot(page, f"chain-{viewport}")

    # The table behind a chart, one click away and back.
    trend = page.locator("#chart-issues-trend")
    table = trend.locator(".chart-table")
    assert table.bounding_box()["width"] <= 1  # stepped back (a screen reader still reads it)
    toggle = trend.locator(".chart-toggle")
    expect(toggle).to_have_accessible_name("查看表格")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(toggle).to_have_text("查看图表")
    expect(trend.locator(".chart-canvas")).to_be_hidden()
    assert table.bounding_box()["width"] > 200
    expect(table.locator("tbody tr")).to_have_count(12)  # the year's months
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(trend.locator(".chart-canvas")).to_be_visible()

    # A tile leads to the list behind its number: the chain's open issues (A3, A4, A5).
    tile = page.locator(".tiles li a").filter(has_text="当前未关闭")
    expect(tile.locator(".tile-value")).to_have_text("3")
    tile.click()
    page.wait_for_url(f"**{reverse('issues:issue-list')}?*")
    assert f"chain={history.chain_a.pk}" in page.url
    assert "open=true" in page.url
    rows = page.locator("main table.data tbody tr")
    expect(rows).to_have_count(3)
    for number in ("A3", "A4", "A5"):
        expect(page.locator("main table.data tbody")).to_contain_text(number)
    assert console == []


def test_the_big_screen_fills_1920_by_1080_and_refreshes_itself(page, live_server, history, console):
    page.set_viewport_size(SCREEN)
    page.emulate_media(reduced_motion="reduce")
    page.clock.install()  # the page's timers, so that its minute can pass at once
    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}{reverse('dashboards:screen')}{YEAR}")
    page.wait_for_function(EVERY_CANVAS_DRAWN)
    expect(page.locator("figure.chart.drawn")).to_have_count(6)
    expect(page.locator("#main-nav")).to_have_count(0)  # no site menu

    def assert_fits():
        size = page.evaluate(SCROLL)
        assert size["height"] <= size["innerHeight"], size
        assert size["width"] <= size["innerWidth"], size
        # Each tile and chart whole on the screen.
        for box in (item.bounding_box() for item in page.locator(".screen-tiles li, figure.chart").all()):
            assert box["x"] >= 0, box
            assert box["y"] >= 0, box
            assert box["x"] + box["width"] <= SCREEN["width"], box
            assert box["y"] + box["height"] <= SCREEN["height"], box
        # Every value whole in its tile (never cut to an ellipsis).
        cut = page.evaluate("""() => [...document.querySelectorAll(".screen-tiles .tile-value")]
          .filter((value) => value.scrollWidth > value.clientWidth).map((value) => value.textContent)""")
        assert cut == [], cut

    assert_fits()
    # Read from across the room: the figures are large, the labels no smaller than a heading.
    sizes = page.evaluate("""() => ({
      value: parseFloat(getComputedStyle(document.querySelector(".screen-tiles .tile-value")).fontSize),
      label: parseFloat(getComputedStyle(document.querySelector(".screen-tiles .tile-label")).fontSize),
    })""")
    assert sizes["value"] >= 48, sizes
    assert sizes["label"] >= 18, sizes
    # The current time (the server's, in Asia/Shanghai) and when the figures were computed.
    expect(page.locator("#screen-clock")).to_contain_text("星期")
    expect(page.locator("#screen-asof")).to_contain_text("数据截至")
    screenshot(page, "screen-1920x1080")

    # A new issue arrives; within the minute the screen shows it, without reloading the page.
    received = page.locator(".screen-tiles li a").filter(has_text="本期收到").locator(".tile-value")
    before = int(received.inner_text())
    issue_in(history, "submitted", at=at(11, 20, 9), title="新到问题")
    page.evaluate("window.notReloaded = true")
    # The server's minute passes too: the figures it computed for the first page are no longer fresh.
    with time_machine.travel(timezone.now() + timedelta(seconds=FRESH_SECONDS + 1)):
        page.clock.fast_forward("01:00")
        expect(received).to_have_text(str(before + 1))
    assert page.evaluate("window.notReloaded") is True
    page.wait_for_function(EVERY_CANVAS_DRAWN)
    expect(page.locator("figure.chart.drawn")).to_have_count(6)
    assert_fits()
    assert console == []
