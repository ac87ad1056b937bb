"""Quarters as the district names them (``2027Q1``): their first and last day, and the quarter of an
instant on the district's clock (Asia/Shanghai)."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from chainparty.dates import SHANGHAI

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def parse_quarter(value: str, *, field: str = "quarter") -> Quarter:
    """``2027Q1`` → Quarter(2027, 1); anything else is a ValidationError naming the field."""
    match = _QUARTER.match((value or "").strip().upper())
    if not match:
        raise ValidationError({field: _("Write a quarter as 2027Q1 (year, Q, 1 to 4).")})
    return Quarter(int(match.group(1)), int(match.group(2)))


def quarter_of(moment: datetime | date | None = None) -> Quarter:
    """The quarter of a day, or of an instant in Asia/Shanghai (now when None)."""
    if moment is None:
        moment = timezone.now()
    day = moment.astimezone(SHANGHAI).date() if isinstance(moment, datetime) else moment
    return Quarter(day.year, (day.month - 1) // 3 + 1)
