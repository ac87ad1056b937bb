"""The lights on pages (`{% load lights %}`), drawn from the one rule in chainparty.lights.

- `{% time_left deadline %}` (or `{{ deadline|time_left }}`): the light and the words, e.g.
  `<span class="time-left time-left-red"><span class="light light-red" role="img" aria-label="红灯：已超期"
  title="…"></span>超期 2 个工作日</span>`; nothing with no deadline. Options: `closed=True` (no light:
  the thing is done), `at=<an aware datetime>` (default: now).
- `{% rate_light rate %}`: the light of a rate from 0 to 1 (issues.kpis), e.g. before its percentage;
  nothing when there is no rate.

The light is never told by its colour alone: each has its own shape (green a disc, yellow a diamond,
red a square: static/css/app.css, "lights"), its name and meaning as the accessible name and tooltip,
and the time left its words. No inline style (the CSP forbids it). No query: the calendar is cached
(workdays.calendar), so a list costs no query per row.
"""

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from chainparty import lights
from chainparty.lights import Light

register = template.Library()


def _percent(rate: Decimal) -> str:
    return f"{rate * 100:.0f}%"


def time_light_label(light: Light) -> str:
    """What a deadline's light means, in words (its accessible name)."""
    if light == Light.RED:
        return gettext("Red light: overdue")
    if light == Light.YELLOW:
        return gettext("Yellow light: due within %(days)d working days") % {"days": lights.DUE_SOON_WORKING_DAYS}
    return gettext("Green light: on schedule")


def rate_light_label(light: Light) -> str:
    """What a rate's light means, in words (its accessible name), with the thresholds."""
    green, yellow = _percent(lights.RATE_GREEN_FROM), _percent(lights.RATE_YELLOW_FROM)
    if light == Light.GREEN:
        return gettext("Green light: %(percent)s or more") % {"percent": green}
    if light == Light.YELLOW:
        return gettext("Yellow light: from %(low)s to under %(high)s") % {"low": yellow, "high": green}
    return gettext("Red light: under %(percent)s") % {"percent": yellow}


def _dot(light: Light, label: str) -> SafeString:
    return format_html(
        '<span class="light light-{}" role="img" aria-label="{}" title="{}"></span>', light, label, label
    )


@register.simple_tag(name="time_left")
def time_left_tag(deadline: datetime | date | None, *, closed: bool = False, at: datetime | None = None) -> str:
    left = lights.time_left(deadline, at=at or timezone.now(), closed=closed)
    if not left.has_deadline:
        return ""
    return format_html(
        '<span class="time-left time-left-{}">{}{}</span>',
        left.light,
        _dot(left.light, time_light_label(left.light)),
        lights.describe_time_left(left),
    )


@register.filter(name="time_left")
def time_left_filter(deadline: datetime | date | None) -> str:
    return time_left_tag(deadline)


@register.simple_tag(name="rate_light")
def rate_light_tag(rate: Decimal | None) -> str:
    light = lights.rate_light(rate)
    if light == Light.NONE:
        return ""
    return _dot(light, rate_light_label(light))
