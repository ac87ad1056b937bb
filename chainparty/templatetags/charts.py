"""The chart partial's data (templates/dashboards/_chart.html): the figures as the page's JSON data
islands for static/js/charts.js, and the same figures as the table behind the chart."""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import template

register = template.Library()

KINDS = {"line", "bar", "hbar", "pie"}


def _number(value: Any) -> int | float | None:
    # json_script writes a Decimal as a string; the chart wants a number (a rate of 87.5 stays 87.5).
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"a chart value must be a number, not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)):
        number = float(value)
        return int(number) if number.is_integer() else number
    raise ValueError(f"a chart value must be a number, not {value!r}")


@register.simple_tag
def chart_data(kind: str, labels: Sequence[Any], series: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """`series` is a list of {"name", "data": [one number per label], "links": [a URL or None per
    label] (optional)}; a pie has one series. A wrong shape is the page's mistake and fails loudly."""
    if kind not in KINDS:
        raise ValueError(f"chart kind {kind!r} is not one of {sorted(KINDS)}")
    if kind == "pie" and len(series) != 1:
        raise ValueError("a pie chart has exactly one series")
    names = [str(label) for label in labels]
    clean = []
    for item in series:
        data = [_number(value) for value in item["data"]]
        links = [link or None for link in item.get("links") or [None] * len(data)]
        if len(data) != len(names):
            raise ValueError(f"series {item['name']!r} has {len(data)} values for {len(names)} labels")
        if len(links) != len(names):
            raise ValueError(f"series {item['name']!r} has {len(links)} links for {len(names)} labels")
        clean.append({"name": str(item["name"]), "data": data, "links": links})
    rows = [
        {"label": label, "cells": [{"value": s["data"][i], "link": s["links"][i]} for s in clean]}
        for i, label in enumerate(names)
    ]
    empty = all(value is None for s in clean for value in s["data"])
    return {
        "labels": names,
        # The links ride along only when there are some: a click on the chart follows them.
        "series": [s if any(s["links"]) else {"name": s["name"], "data": s["data"]} for s in clean],
        "names": [s["name"] for s in clean],
        "rows": rows,
        "empty": not names or empty,
    }
