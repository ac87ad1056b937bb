"""Terms of office (换届, design §4.4): a committee serves 5 years, a general branch or branch 3; the
reminders go out 6 and 3 months before the end and monthly once the term has lapsed."""

import calendar
from datetime import date

from partyorgs.models import TERM_YEARS, OrgKind

REMIND_MONTHS_BEFORE = (6, 3)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier, when negative); the month's last day when it is
    shorter (31 August + 6 months = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_term_end(kind: str, started_on: date) -> date:
    """The end of a term started on ``started_on``: 5 years for a committee, 3 otherwise."""
    return add_months(started_on, 12 * TERM_YEARS[OrgKind(kind)])
