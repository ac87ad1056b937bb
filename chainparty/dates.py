"""Dates and instants. The district works in Asia/Shanghai (settings.TIME_ZONE); a calendar day
given by a user means that day there."""

import argparse
from collections.abc import Mapping
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The days the portal works with. A day outside them is a typing mistake or a probe (9999-12-31, whose
# next day does not exist, used to crash a period's arithmetic): refused with a message, never a 500.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2099, 12, 31)
DAY_VALIDATORS = [
    MinValueValidator(FIRST_DAY, message=_("Give a day from 1900-01-01 on.")),
    MaxValueValidator(LAST_DAY, message=_("Give a day up to 2099-12-31.")),
]

# A day as a caller sends it: ISO 8601, what an <input type="date"> submits.
_DAY = forms.DateField(input_formats=["%Y-%m-%d"], validators=DAY_VALIDATORS)


def start_of_day(day: date) -> datetime:
    """00:00 of the day in Asia/Shanghai, as an aware instant."""
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def parse_period(
    data: Mapping[str, str], *, first: str = "from", last: str = "to", default: tuple[date, date] | None = None
) -> tuple[date, date]:
    """A period of days, both included, from a query (``?from=2026-01-01&to=2026-03-31``) or a form.

    ``first`` and ``last`` name the parameters. A blank one takes its day from ``default``; without
    a default both are required. Raises ValidationError naming each bad parameter, the last day
    before the first on ``last`` (a 400 on the API, the fields' errors on a page).
    """
    days: dict[str, date] = {}
    errors: dict[str, list] = {}
    for index, name in enumerate((first, last)):
        value = (data.get(name) or "").strip()
        try:
            days[name] = _DAY.clean(value) if value or default is None else default[index]
        except ValidationError as exc:
            errors[name] = exc.messages
    if not errors and days[first] > days[last]:
        errors[last] = [str(_("The last day comes before the first."))]
    if errors:
        raise ValidationError(errors)
    return days[first], days[last]


def instant_argument(value: str) -> datetime:
    """A management command's ``--at`` (``parser.add_argument("--at", type=instant_argument)``): the
    instant, or the command refuses to run, saying why."""
    instant = parse_instant(value)
    if instant is None:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 date-time: {value!r}")
    return instant


def parse_instant(value: str) -> datetime | None:
    """An instant as an operator types it (a management command's ``--at``): ISO 8601, a time without
    offset being Asia/Shanghai (the settings' time zone). None when it is not one."""
    try:
        instant = parse_datetime(value)
    except ValueError:
        return None
    if instant is not None and timezone.is_naive(instant):
        instant = timezone.make_aware(instant)
    return instant


def last_of_month(day: date) -> date:
    """The last day of the month that holds `day`."""
    following = date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)
    return date.fromordinal(following.toordinal() - 1)
