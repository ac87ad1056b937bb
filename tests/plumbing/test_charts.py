"""The chart partial (templates/dashboards/_chart.html, chainparty/templatetags/charts.py): the data
islands static/js/charts.js reads, the table behind the chart with its links, and a wrong shape
failing loudly. The drawing itself is checked in a browser (tests/e2e/test_dashboard_charts.py)."""

import json
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from chainparty.templatetags.charts import chart_data

LABELS = ["2026-10", "2026-11", "2026-12"]


class Page(HTMLParser):
    """What the tests read of the partial: each element's attributes by id and by tag, the text of
    each id'd element, the table's head and body rows (cells' text), the links in the body."""

    def __init__(self, source: str):
        super().__init__()
        self.by_id: dict[str, dict] = {}
        self.text: dict[str, str] = {}
        self.tags: dict[str, list[dict]] = {}
        self.head: list[str] = []
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self._open: list[tuple[str, str | None]] = []
        self._part = ""
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.setdefault(tag, []).append(attributes)
        if "id" in attributes:
            self.by_id[attributes["id"]] = attributes
            self.text[attributes["id"]] = ""
        self._open.append((tag, attributes.get("id")))
        if tag in ("thead", "tbody"):
            self._part = tag
        elif tag == "tr" and self._part == "tbody":
            self.rows.append([])
        elif tag in ("th", "td"):
            (self.head if self._part == "thead" else self.rows[-1]).append("")
        elif tag == "a" and self._part == "tbody":
            self.links.append(attributes["href"])

    def handle_endtag(self, tag):
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        for _tag, ident in self._open:
            if ident:
                self.text[ident] += data
        if any(tag in ("th", "td") for tag, _ in self._open):
            cells = self.head if self._part == "thead" else self.rows[-1]
            cells[-1] += data.strip()


def render(**context) -> Page:
    return Page(render_to_string("dashboards/_chart.html", context))


def test_the_islands_hold_the_labels_and_numbers_and_the_table_the_same_figures_with_their_links():
    series = [
        {"name": "收到", "data": [5, 8, Decimal("12")], "links": ["/issues/?month=10", None, "/issues/?month=12"]},
        {"name": "按时办结率", "data": [Decimal("87.5"), None, 100.0]},
    ]
    page = render(id="trend", kind="line", title="问题按月", labels=LABELS, series=series, unit="%")

    figure = page.by_id["trend"]
    assert figure["class"] == "chart chart-line"
    assert figure["data-kind"] == "line"
    assert figure["data-unit"] == "%"
    assert json.loads(page.text["trend-labels"]) == LABELS
    assert json.loads(page.text["trend-series"]) == [
        {"name": "收到", "data": [5, 8, 12], "links": ["/issues/?month=10", None, "/issues/?month=12"]},
        {"name": "按时办结率", "data": [87.5, None, 100]},
    ]
    assert page.rows == [["2026-10", "5%", "87.5%"], ["2026-11", "8%", "—"], ["2026-12", "12%", "100%"]]
    assert page.links == ["/issues/?month=10", "/issues/?month=12"]
    assert page.head[1:] == ["收到", "按时办结率"]
    (toggle,) = page.tags["button"]
    assert toggle["aria-controls"] == "trend-table"
    assert "hidden" in toggle  # shown by the script, once there is a chart to toggle


def test_a_chart_without_figures_says_so_and_has_no_table_nor_toggle():
    page = render(
        id="none",
        kind="bar",
        title="督办层级",
        labels=["行业党委", "链长"],
        series=[{"name": "件数", "data": [None, None]}],
    )
    assert "chart-empty muted" in [p.get("class") for p in page.tags["p"]]
    assert not {"table", "button", "script"} & page.tags.keys()


def test_the_labels_heading_can_be_named():
    page = render(
        id="rank",
        kind="hbar",
        title="单位排名",
        axis="单位",
        labels=["区科技局"],
        series=[{"name": "按时办结率", "data": [90]}],
    )
    assert page.head == ["单位", "按时办结率"]


@pytest.mark.parametrize(
    ("kind", "series", "message"),
    [
        ("donut", [{"name": "a", "data": [1, 2, 3]}], "is not one of"),
        ("pie", [{"name": "a", "data": [1, 2, 3]}, {"name": "b", "data": [1, 2, 3]}], "exactly one series"),
        ("bar", [{"name": "a", "data": [1, 2]}], "has 2 values for 3 labels"),
        ("bar", [{"name": "a", "data": [1, 2, 3], "links": ["/x/"]}], "has 1 links for 3 labels"),
        ("bar", [{"name": "a", "data": [1, "2", 3]}], "must be a number"),
        ("bar", [{"name": "a", "data": [1, True, 3]}], "must be a number"),
    ],
)
def test_a_wrong_shape_fails_loudly(kind, series, message):
    with pytest.raises(ValueError, match=message):
        chart_data(kind, LABELS, series)


def test_the_chart_library_is_served_from_the_apps_own_static_files():
    # `make` copies it there from node_modules (package-lock.json); see the Makefile's assets target.
    assert finders.find("vendor/echarts/echarts.min.js"), (
        "static/vendor/echarts/echarts.min.js is missing: run `make assets`"
    )
    assert finders.find("js/charts.js")
