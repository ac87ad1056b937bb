"""The period of a dashboard: a month, a quarter, a year (each the one that holds a day, today by
default) or a custom range of days, from the same query parameters on the page and the API:
``?period=quarter&on=2026-08-15`` or ``?period=custom&start=2026-01-01&end=2026-06-30``."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chainparty.dates import DAY_VALIDATORS, last_of_month, parse_period

# A trend shows at least a year of months, and at most two (a longer range is read as a table).
TREND_MONTHS = 12
MAX_TREND_MONTHS = 24
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")
    CUSTOM = "custom", _("Custom range")


def _month_start(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date

    @classmethod
    def holding(cls, kind: str, day: date) -> "Period":
        """The month, quarter or year that holds `day`."""
        if kind == PeriodKind.MONTH:
            start = _month_start(day)
            return cls(kind, start, last_of_month(start))
        if kind == PeriodKind.QUARTER:
            start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
            return cls(kind, start, last_of_month(date(start.year, start.month + 2, 1)))
        return cls(PeriodKind.YEAR, date(day.year, 1, 1), date(day.year, 12, 31))

    @property
    def months(self) -> list[date]:
        """The first days of the trend's months: those of the period, or the twelve ending with its
        last month when it is shorter; at most the last 24."""
        last = _month_start(self.end)
        first = min(_month_start(self.start), _month_start(self.end, TREND_MONTHS - 1))
        first = max(first, _month_start(self.end, MAX_TREND_MONTHS - 1))
        months = [first]
        while months[-1] < last:
            months.append(last_of_month(months[-1]) + timedelta(days=1))
        return months

    def as_query(self) -> dict[str, str]:
        """The query parameters that give this period back (for links and the export)."""
        if self.kind == PeriodKind.CUSTOM:
            return {"period": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat()}
        return {"period": self.kind, "on": self.start.isoformat()}


class PeriodForm(forms.Form):
    """The period of a dashboard, on the page and the API alike: each bad parameter named, with why."""

    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, required=False)
    on = forms.DateField(
        label=_("Including the day"),
        required=False,
        input_formats=["%Y-%m-%d"],
        validators=DAY_VALIDATORS,
        widget=DATE_INPUT,
        help_text=_("The month, quarter or year that holds this day; today when empty."),
    )
    start = forms.CharField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.CharField(label=_("To"), required=False, widget=DATE_INPUT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        kind = data.get("period") or PeriodKind.QUARTER
        # A parameter of the other kind of period is refused, never silently ignored (the page sends
        # every field, the unused ones blank).
        unused = ("on",) if kind == PeriodKind.CUSTOM else ("start", "end")
        for name in unused:
            if (self.data.get(name) or "").strip():
                self.add_error(
                    name, _("Only with a custom period.") if name != "on" else _("Not with a custom period.")
                )
        if self.errors:
            return data
        if kind == PeriodKind.CUSTOM:
            try:
                start, end = parse_period(self.data, first="start", last="end")
            except forms.ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_error(name, message)
                return data
            data["value"] = Period(kind, start, end)
        else:
            data["value"] = Period.holding(kind, data.get("on") or timezone.localdate())
        return data

    @property
    def value(self) -> Period:
        """The period asked for (call after is_valid())."""
        return self.cleaned_data["value"]
