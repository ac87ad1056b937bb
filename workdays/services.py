from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import chinese_calendar
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from workdays import calendar
from workdays.models import CalendarDay, Kind, Source

# The package's names are keyed by its English enum values ("National Day" -> 国庆节).
_CHINESE_NAMES = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
MAKE_UP_SUFFIX = "调休"  # 国庆节调休: the make-up working day of 国庆节


@dataclass(frozen=True)
class LoadResult:
    added: int
    updated: int
    removed: int
    manual_kept: int


def package_years() -> list[int]:
    """The years the installed chinesecalendar package has the State Council's arrangements for."""
    known = chinese_calendar.holidays.keys()
    return list(range(min(known).year, max(known).year + 1))


def _package_days(years: set[int]) -> dict[date, tuple[str, str]]:
    days: dict[date, tuple[str, str]] = {}
    for day, holiday in chinese_calendar.holidays.items():
        if day.year in years:
            days[day] = (Kind.HOLIDAY, _CHINESE_NAMES[holiday])
    for day, holiday in chinese_calendar.workdays.items():
        if day.year in years:
            days[day] = (Kind.WORKDAY, _CHINESE_NAMES[holiday] + MAKE_UP_SUFFIX)
    return days


@transaction.atomic
def load_official_holidays(*, years: Iterable[int] | None = None) -> LoadResult:
    """Bring the `chinese_calendar` rows of `years` (default: every year the package knows) in line
    with the package: add the missing, correct the changed, remove those the package no longer lists.
    Rows entered by staff (source `manual`) are never touched, even where the package disagrees.
    Running it twice changes nothing the second time.
    """
    known = package_years()
    wanted = set(known) if years is None else set(years)
    unknown = sorted(wanted - set(known))
    if unknown:
        raise ValidationError(
            {
                "years": _("The chinesecalendar package has no data for %(years)s; it knows %(first)s to %(last)s.")
                % {"years": ", ".join(map(str, unknown)), "first": known[0], "last": known[-1]}
            }
        )
    package = _package_days(wanted)
    existing = {row.date: row for row in CalendarDay.objects.select_for_update().filter(date__year__in=wanted)}

    to_add, to_update, manual_kept = [], [], 0
    for day, (kind, name) in sorted(package.items()):
        row = existing.get(day)
        if row is None:
            to_add.append(CalendarDay(date=day, kind=kind, name=name, source=Source.CHINESE_CALENDAR))
        elif row.source == Source.MANUAL:
            manual_kept += 1
        elif (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            to_update.append(row)
    stale = [row.pk for day, row in existing.items() if row.source == Source.CHINESE_CALENDAR and day not in package]

    CalendarDay.objects.bulk_create(to_add)
    CalendarDay.objects.bulk_update(to_update, ["kind", "name"])
    CalendarDay.objects.filter(pk__in=stale).delete()
    # Bulk writes send no post_save: clear this process's cache now (this connection sees the new rows)
    # and again on commit, in case another thread reloaded the old rows in between.
    calendar.clear_cache()
    transaction.on_commit(calendar.clear_cache)
    return LoadResult(added=len(to_add), updated=len(to_update), removed=len(stale), manual_kept=manual_kept)
