"""The charts of a dashboard page, from its figures: each a dict for templates/dashboards/_chart.html
(id, kind, title, labels, series with the list behind each point, unit)."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _


def _percent(fraction: Decimal | None) -> Decimal | None:
    """issues.kpis gives rates as fractions; a chart shows them as % like the coverage rates."""
    return None if fraction is None else (fraction * 100).quantize(Decimal("0.1"))


def for_page(figures: dict[str, Any]) -> list[dict[str, Any]]:
    links = figures["links"]
    months = [point["month"].strftime("%Y-%m") for point in figures["trend"]]
    issues = figures["issues"]
    charts = [
        {
            "id": "chart-issues-trend",
            "kind": "line",
            "title": _("Issues by month"),
            "axis": _("Month"),
            "labels": months,
            "series": [
                {
                    "name": _("Received"),
                    "data": [p["received"] for p in figures["trend"]],
                    "links": links["months"],
                },
                {"name": _("Resolved"), "data": [p["resolved"] for p in figures["trend"]]},
            ],
        },
        {
            "id": "chart-coverage-trend",
            "kind": "line",
            "title": _("Coverage by month"),
            "axis": _("Month"),
            "unit": "%",
            "labels": months,
            "series": [
                {"name": _("Organization coverage"), "data": [p["organization_rate"] for p in figures["trend"]]},
                {"name": _("Work coverage"), "data": [p["work_rate"] for p in figures["trend"]]},
            ],
        },
        {
            "id": "chart-escalation",
            "kind": "bar",
            "title": _("Open issues by escalation level"),
            "axis": _("Escalation level"),
            "labels": [_("Level %(level)s") % {"level": level} for level in (1, 2, 3)],
            "series": [
                {
                    "name": _("Open issues"),
                    "data": [issues[f"escalated_{level}"] for level in (1, 2, 3)],
                    "links": [links["issues"][f"escalated_{level}"] for level in (1, 2, 3)],
                }
            ],
        },
        {
            "id": "chart-honours",
            # Horizontal: the honours' names are long ("国家级专精特新“小巨人”企业") and would be cut
            # or hidden under upright bars.
            "kind": "hbar",
            "title": _("Enterprises with honours"),
            "axis": _("Honour"),
            "labels": [row["label"] for row in figures["registry"]["honours"]],
            "series": [
                {
                    "name": _("Enterprises"),
                    "data": [row["enterprises"] for row in figures["registry"]["honours"]],
                    "links": [links["honours"][row["code"]] for row in figures["registry"]["honours"]],
                }
            ],
        },
    ]
    if figures["segments"]:
        rows, axis, title = figures["segments"], _("Segment"), _("Coverage by segment")
        row_links = [links["segments"]] * len(rows)
    else:
        rows, axis, title = figures["chains"], _("Chain"), _("Coverage by chain")
        row_links = [links["chains"][row["id"]] for row in rows]
    if rows:
        charts.append(
            {
                "id": "chart-coverage",
                "kind": "hbar",
                "title": title,
                "axis": axis,
                "unit": "%",
                "labels": [row["name"] for row in rows],
                "series": [
                    {
                        "name": _("Organization coverage"),
                        "data": [r["organization_rate"] for r in rows],
                        "links": row_links,
                    },
                    {"name": _("Work coverage"), "data": [r["work_rate"] for r in rows], "links": row_links},
                ],
            }
        )
    units = _units(figures, figures["units"])
    if units:
        charts.append(units)
    return charts


# The big screen shows the ranking's best units only: more bars than this are not read across a room.
SCREEN_UNITS = 8


def for_screen(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The big screen's charts: the page's, with the unit ranking cut to its first SCREEN_UNITS
    (the district dashboard has the whole ranking, as a table too)."""
    charts = [chart for chart in for_page(figures) if chart["id"] != "chart-units"]
    cut = len(figures["units"]) > SCREEN_UNITS
    title = _("Units: on-time resolution rate, top %(n)s") % {"n": SCREEN_UNITS} if cut else None
    units = _units(figures, figures["units"][:SCREEN_UNITS], title=title)
    if units:
        charts.append(units)
    return charts


def _units(figures: dict[str, Any], units: list[dict[str, Any]], title: str | None = None) -> dict[str, Any] | None:
    if not units:
        return None
    links = figures["links"]
    return {
        "id": "chart-units",
        "kind": "hbar",
        "title": title or _("Units: on-time resolution rate"),
        "axis": _("Unit"),
        "unit": "%",
        "labels": [row["name"] for row in units],
        "series": [
            {
                "name": _("On-time resolution rate"),
                "data": [_percent(row["on_time_rate"]) for row in units],
                "links": [links["units"][row["id"]] for row in units],
            },
            {"name": _("Satisfaction rate"), "data": [_percent(row["satisfaction_rate"]) for row in units]},
        ],
    }
