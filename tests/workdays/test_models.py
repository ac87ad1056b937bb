from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from workdays.models import CalendarDay, Kind, Source


@pytest.mark.django_db
class TestCalendarDayRules:
    def test_a_make_up_working_day_on_a_weekday_is_refused_on_the_date_field(self):
        row = CalendarDay(date=date(2026, 9, 23), kind=Kind.WORKDAY, name="调休", source=Source.MANUAL)
        with pytest.raises(ValidationError) as caught, translation.override("en"):
            row.full_clean()
        assert list(caught.value.message_dict) == ["date"]
        assert "2026-09-23 is a weekday" in caught.value.message_dict["date"][0]

    @pytest.mark.parametrize("day", [date(2026, 9, 20), date(2026, 10, 10)])  # Sunday, Saturday
    def test_a_make_up_working_day_on_a_weekend_is_accepted(self, day):
        CalendarDay(date=day, kind=Kind.WORKDAY, name="国庆节调休", source=Source.MANUAL).full_clean()

    def test_a_holiday_on_a_weekend_is_allowed(self):
        # Pointless for the count, but the notices list a holiday's whole span, weekend included.
        CalendarDay(date=date(2026, 10, 3), kind=Kind.HOLIDAY, name="国庆节", source=Source.MANUAL).full_clean()

    def test_the_database_refuses_a_weekday_make_up_day_written_around_clean(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            CalendarDay.objects.create(date=date(2026, 9, 23), kind=Kind.WORKDAY, name="调休")

    def test_a_date_has_one_row(self):
        CalendarDay.objects.create(date=date(2026, 10, 1), kind=Kind.HOLIDAY, name="国庆节")
        with pytest.raises(ValidationError) as caught:
            CalendarDay(date=date(2026, 10, 1), kind=Kind.HOLIDAY, name="国庆节").full_clean()
        assert "date" in caught.value.message_dict
