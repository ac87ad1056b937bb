"""The working-day calendar of design §4.6, on the 2026 arrangements: 中秋节 Fri 25 – Sun 27 Sep,
国庆节 Thu 1 – Wed 7 Oct, make-up working days Sun 20 Sep and Sat 10 Oct."""

import logging
from datetime import UTC, date, datetime

import chinese_calendar
import pytest

from tests.clock import at, end_of
from workdays import calendar
from workdays.calendar import (
    add_working_days,
    is_working_day,
    next_working_day,
    previous_working_day,
    subtract_working_days,
    working_days_between,
)
from workdays.models import CalendarDay, Kind, Source
from workdays.services import load_official_holidays


def test_the_package_has_the_2026_national_day_arrangement():
    # The dates every other test relies on, checked against the source we load them from.
    for day in range(1, 8):
        assert chinese_calendar.get_holiday_detail(date(2026, 10, day)) == (True, "National Day")
    assert chinese_calendar.get_holiday_detail(date(2026, 9, 20)) == (False, "National Day")
    assert chinese_calendar.get_holiday_detail(date(2026, 10, 10)) == (False, "National Day")
    assert chinese_calendar.get_holiday_detail(date(2026, 9, 25)) == (True, "Mid-autumn Festival")


@pytest.mark.usefixtures("calendar_2026")
class TestIsWorkingDay:
    def test_load_holidays_writes_the_holiday_and_its_make_up_days(self):
        national_day = CalendarDay.objects.get(date=date(2026, 10, 1))
        assert (national_day.kind, national_day.name, national_day.source) == (
            Kind.HOLIDAY,
            "国庆节",
            Source.CHINESE_CALENDAR,
        )
        make_up = CalendarDay.objects.get(date=date(2026, 10, 10))
        assert (make_up.kind, make_up.name) == (Kind.WORKDAY, "国庆节调休")

    def test_a_weekday_holiday_is_not_a_working_day(self):
        assert not is_working_day(date(2026, 10, 1))  # Thursday
        assert not is_working_day(date(2026, 10, 5))  # Monday
        assert not is_working_day(date(2026, 9, 25))  # Friday, 中秋节

    def test_a_make_up_weekend_day_is_a_working_day(self):
        assert is_working_day(date(2026, 10, 10))  # Saturday
        assert is_working_day(date(2026, 9, 20))  # Sunday

    def test_ordinary_days_follow_the_week(self):
        assert is_working_day(date(2026, 10, 16))  # Friday
        assert not is_working_day(date(2026, 10, 17))  # Saturday
        assert not is_working_day(date(2026, 10, 18))  # Sunday

    def test_next_and_previous_working_day_jump_the_holiday(self):
        assert next_working_day(date(2026, 9, 30)) == date(2026, 10, 8)
        assert next_working_day(date(2026, 10, 9)) == date(2026, 10, 10)
        assert previous_working_day(date(2026, 10, 8)) == date(2026, 9, 30)
        assert previous_working_day(date(2026, 10, 12)) == date(2026, 10, 10)

    def test_a_datetime_is_refused_where_a_local_date_is_meant(self):
        with pytest.raises(TypeError, match="expected a date"):
            is_working_day(at(10, 8))


@pytest.mark.usefixtures("calendar_2026")
class TestAddWorkingDays:
    def test_one_working_day_from_the_eve_of_national_day_ends_after_the_holiday(self):
        assert add_working_days(at(9, 30, 10), 1) == end_of(10, 8)

    def test_the_deadline_is_the_last_instant_of_the_local_day(self):
        deadline = add_working_days(at(9, 30, 10), 1)
        assert deadline.utcoffset().total_seconds() == 8 * 3600
        assert deadline.isoformat() == "2026-10-08T23:59:59.999999+08:00"

    def test_the_hour_of_the_start_does_not_matter(self):
        assert add_working_days(at(9, 30, 0, 0), 1) == add_working_days(at(9, 30, 23, 59), 1)

    def test_a_make_up_saturday_counts(self):
        assert add_working_days(at(10, 9), 1) == end_of(10, 10)
        assert add_working_days(at(10, 9), 2) == end_of(10, 12)

    def test_fifteen_working_days_across_mid_autumn_and_national_day(self):
        # Counted: Sun 9-20 (make-up), 21–24, 28–30, 10-8, 10-9, Sat 10-10 (make-up), 12–15.
        assert add_working_days(at(9, 18), 15) == end_of(10, 15)

    def test_a_start_on_a_holiday_counts_from_the_next_working_day(self):
        assert add_working_days(at(10, 1, 9), 1) == end_of(10, 8)
        assert add_working_days(at(10, 3, 15), 1) == end_of(10, 8)
        assert add_working_days(at(10, 3, 15), 2) == end_of(10, 9)

    def test_zero_working_days_is_the_end_of_today_or_of_the_next_working_day(self):
        assert add_working_days(at(9, 30), 0) == end_of(9, 30)
        assert add_working_days(at(10, 4), 0) == end_of(10, 8)

    def test_the_start_is_read_in_shanghai_time(self):
        # 17:00 UTC on Thu 8 Oct is 01:00 on Fri 9 Oct in Shanghai: the count starts after the 9th.
        assert add_working_days(datetime(2026, 10, 8, 17, tzinfo=UTC), 1) == end_of(10, 10)

    def test_a_naive_start_is_refused(self):
        with pytest.raises(ValueError, match="start must be a timezone-aware datetime"):
            add_working_days(datetime(2026, 9, 30, 10), 1)  # noqa: DTZ001 - the naive instant is the input under test

    @pytest.mark.parametrize("days", [-1, 1.5, True])
    def test_days_must_be_a_whole_number_not_below_zero(self, days):
        with pytest.raises(ValueError, match="days must be a whole number"):
            add_working_days(at(9, 30), days)


@pytest.mark.usefixtures("calendar_2026")
class TestSubtractAndBetween:
    def test_one_working_day_before_a_deadline_after_the_holiday_is_before_the_holiday(self):
        assert subtract_working_days(end_of(10, 8), 1) == end_of(9, 30)
        assert subtract_working_days(end_of(10, 8), 2) == end_of(9, 29)

    def test_subtracting_keeps_the_time_of_day_and_counts_the_make_up_saturday(self):
        assert subtract_working_days(at(10, 12, 14, 30), 1) == at(10, 10, 14, 30)

    def test_subtract_undoes_add_from_a_working_day(self):
        for start in [at(9, 18), at(9, 30), at(10, 9), at(10, 10)]:
            for days in [1, 2, 5, 15]:
                assert subtract_working_days(add_working_days(start, days), days).date() == start.date()

    def test_working_days_between_counts_after_start_up_to_end(self):
        assert working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
        assert working_days_between(date(2026, 9, 18), date(2026, 10, 15)) == 15
        assert working_days_between(date(2026, 10, 15), date(2026, 9, 18)) == -15
        assert working_days_between(date(2026, 10, 1), date(2026, 10, 7)) == 0
        assert working_days_between(date(2026, 10, 8), date(2026, 10, 8)) == 0
        # From a working day to the next one: Mon 12 → Tue 13 October is one.
        assert working_days_between(date(2026, 10, 12), date(2026, 10, 13)) == 1


class TestStaffEdits:
    def test_a_manual_holiday_moves_a_deadline(self, calendar_2026):
        assert add_working_days(at(11, 9), 1) == end_of(11, 10)  # loads the cache
        CalendarDay.objects.create(date=date(2026, 11, 10), kind=Kind.HOLIDAY, name="区定假日", source=Source.MANUAL)
        assert add_working_days(at(11, 9), 1) == end_of(11, 11)

    def test_load_holidays_keeps_what_staff_entered(self, calendar_2026):
        # The district decides Sat 10 Oct is not worked after all: staff turn the make-up day into a holiday.
        CalendarDay.objects.filter(date=date(2026, 10, 10)).update(
            kind=Kind.HOLIDAY, name="区定休息", source=Source.MANUAL
        )
        CalendarDay.objects.create(date=date(2026, 11, 10), kind=Kind.HOLIDAY, name="区定假日", source=Source.MANUAL)

        result = load_official_holidays(years=[2026])

        assert result.manual_kept == 1  # 10 Oct is in the package; 10 Nov is not, and is left alone too
        assert CalendarDay.objects.get(date=date(2026, 10, 10)).name == "区定休息"
        assert CalendarDay.objects.get(date=date(2026, 11, 10)).source == Source.MANUAL
        assert add_working_days(at(10, 9), 1) == end_of(10, 12)

    def test_a_row_changed_without_a_signal_is_seen_after_clear_cache(self, calendar_2026):
        assert is_working_day(date(2026, 10, 10))
        CalendarDay.objects.filter(date=date(2026, 10, 10)).update(kind=Kind.HOLIDAY)  # no post_save
        assert is_working_day(date(2026, 10, 10))  # still the cached copy
        calendar.clear_cache()
        assert not is_working_day(date(2026, 10, 10))

    def test_another_process_edit_is_seen_after_the_cache_lifetime(self, calendar_2026, monkeypatch):
        assert is_working_day(date(2026, 10, 10))
        CalendarDay.objects.filter(date=date(2026, 10, 10)).update(kind=Kind.HOLIDAY)
        monkeypatch.setattr(calendar, "CACHE_SECONDS", -1)  # the lifetime has run out
        assert not is_working_day(date(2026, 10, 10))

    def test_a_copy_is_kept_for_five_minutes_and_reloaded_after(self, calendar_2026, monkeypatch):
        # Another process's edit (no signal here) shows once this process's copy is more than 300 s
        # old, and not before: loaded at monotonic 100 s, still kept at 400 s, reloaded at 400.001 s.
        now = [100.0]
        monkeypatch.setattr(calendar.time, "monotonic", lambda: now[0])
        assert is_working_day(date(2026, 10, 10))  # loads the copy at 100 s
        CalendarDay.objects.filter(date=date(2026, 10, 10)).update(kind=Kind.HOLIDAY)
        now[0] = 400.0
        assert is_working_day(date(2026, 10, 10))
        now[0] = 400.001
        assert not is_working_day(date(2026, 10, 10))

    def test_a_deleted_row_takes_effect_at_once(self, calendar_2026):
        assert not is_working_day(date(2026, 10, 5))
        CalendarDay.objects.get(date=date(2026, 10, 5)).delete()
        assert is_working_day(date(2026, 10, 5))


@pytest.mark.django_db
class TestQueries:
    def test_many_deadlines_cost_one_query(self, calendar_2026, django_assert_num_queries):
        with django_assert_num_queries(1):
            for day in range(1, 31):
                add_working_days(at(9, day), 15)
                subtract_working_days(at(9, day), 2)
                is_working_day(date(2026, 9, day))
            working_days_between(date(2026, 1, 1), date(2026, 12, 31))
        with django_assert_num_queries(0):
            add_working_days(at(9, 30), 1)

    def test_the_cost_does_not_grow_with_the_years_loaded(self, django_assert_num_queries):
        load_official_holidays(years=[2026])
        calendar.clear_cache()
        with django_assert_num_queries(1):
            add_working_days(at(9, 30), 1)
        load_official_holidays(years=range(2016, 2026))
        calendar.clear_cache()
        with django_assert_num_queries(1):
            add_working_days(at(9, 30), 1)


@pytest.mark.django_db
class TestYearsWithoutData:
    def test_a_year_without_rows_falls_back_to_monday_to_friday_and_warns_once(self, calendar_2026, caplog):
        with caplog.at_level(logging.WARNING, logger="workdays.calendar"):
            assert add_working_days(at(1, 2, year=2099), 1) == end_of(1, 5, year=2099)  # Friday -> Monday
            assert add_working_days(at(1, 2, year=2099), 3) == end_of(1, 7, year=2099)
        warnings = [record for record in caplog.records if "2099" in record.getMessage()]
        assert len(warnings) == 1
        assert "No holidays on record for 2099" in warnings[0].getMessage()

    def test_a_year_with_rows_does_not_warn(self, calendar_2026, caplog):
        with caplog.at_level(logging.WARNING, logger="workdays.calendar"):
            add_working_days(at(9, 30), 1)
        assert caplog.records == []
