from datetime import date
from io import StringIO

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from workdays.models import CalendarDay, Kind, Source
from workdays.services import load_official_holidays, package_years


def snapshot():
    return list(CalendarDay.objects.order_by("date").values_list("date", "kind", "name", "source"))


def load(*args):
    out = StringIO()
    call_command("load_holidays", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestLoadHolidays:
    def test_loads_every_2026_exception_of_the_package(self):
        output = load("--years", "2026")
        holidays = [day for day in chinese_calendar.holidays if day.year == 2026]
        workdays = [day for day in chinese_calendar.workdays if day.year == 2026]
        assert CalendarDay.objects.filter(kind=Kind.HOLIDAY).count() == len(holidays) == 33
        assert CalendarDay.objects.filter(kind=Kind.WORKDAY).count() == len(workdays) == 6
        assert set(CalendarDay.objects.values_list("source", flat=True)) == {Source.CHINESE_CALENDAR}
        assert output.strip() == "Calendar 2026–2026: 39 added, 0 updated, 0 removed, 0 entered by staff kept."

    def test_running_it_twice_changes_nothing(self):
        load("--years", "2025", "2026")
        first = snapshot()
        output = load("--years", "2025", "2026")
        assert snapshot() == first
        assert "0 added, 0 updated, 0 removed" in output

    def test_without_years_it_loads_every_year_the_package_knows(self):
        load()
        years = {day.year for day in CalendarDay.objects.dates("date", "year")}
        assert years == set(package_years())
        assert min(years) == 2004
        assert 2026 in years

    def test_a_changed_package_row_is_put_back_and_a_stale_one_removed(self):
        load("--years", "2026")
        CalendarDay.objects.filter(date=date(2026, 10, 1)).update(name="改错的名字")
        CalendarDay.objects.create(
            date=date(2026, 10, 8), kind=Kind.HOLIDAY, name="旧版数据", source=Source.CHINESE_CALENDAR
        )

        result = load_official_holidays(years=[2026])

        assert (result.added, result.updated, result.removed) == (0, 1, 1)
        assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节"
        assert not CalendarDay.objects.filter(date=date(2026, 10, 8)).exists()

    def test_rows_entered_by_staff_are_never_overwritten_or_removed(self):
        CalendarDay.objects.create(date=date(2026, 10, 1), kind=Kind.HOLIDAY, name="国庆", source=Source.MANUAL)
        CalendarDay.objects.create(date=date(2026, 11, 10), kind=Kind.HOLIDAY, name="区定假日", source=Source.MANUAL)

        result = load_official_holidays(years=[2026])

        assert (result.added, result.manual_kept) == (38, 1)
        assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆"
        assert CalendarDay.objects.filter(date=date(2026, 11, 10), source=Source.MANUAL).exists()

    def test_other_years_are_left_alone(self):
        load("--years", "2025")
        CalendarDay.objects.filter(date=date(2025, 10, 1)).update(name="改过")
        load("--years", "2026")
        assert CalendarDay.objects.get(date=date(2025, 10, 1)).name == "改过"

    def test_a_year_the_package_does_not_know_is_refused_and_nothing_is_written(self):
        with (
            pytest.raises(CommandError, match=r"--years: .*no data for 2099.* 2004 to 2026"),
            translation.override("en"),
        ):
            load("--years", "2026", "2099")
        assert CalendarDay.objects.count() == 0

    def test_the_service_names_the_years_field(self):
        with pytest.raises(ValidationError) as caught:
            load_official_holidays(years=[1999])
        assert "years" in caught.value.message_dict
