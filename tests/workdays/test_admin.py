from datetime import date

import pytest
from django.urls import reverse

from workdays.models import CalendarDay, Kind, Source


@pytest.mark.django_db
class TestCalendarAdmin:
    def test_the_list_filters_by_year(self, admin_client, calendar_2026):
        CalendarDay.objects.create(date=date(2025, 10, 1), kind=Kind.HOLIDAY, name="国庆节")
        url = reverse("admin:workdays_calendarday_changelist")
        response = admin_client.get(url, {"year": "2025"})
        assert response.status_code == 200
        assert [row.date for row in response.context["cl"].result_list] == [date(2025, 10, 1)]

    def test_a_row_saved_by_staff_becomes_manual(self, admin_client, calendar_2026):
        row = CalendarDay.objects.get(date=date(2026, 10, 1))
        url = reverse("admin:workdays_calendarday_change", args=[row.pk])
        response = admin_client.post(url, {"date": "2026-10-01", "kind": Kind.HOLIDAY, "name": "国庆节（区）"})
        assert response.status_code == 302
        row.refresh_from_db()
        assert (row.name, row.source) == ("国庆节（区）", Source.MANUAL)

    def test_a_weekday_make_up_day_is_refused_with_the_reason(self, admin_client):
        url = reverse("admin:workdays_calendarday_add")
        response = admin_client.post(url, {"date": "2026-09-23", "kind": Kind.WORKDAY, "name": "调休"})
        assert response.status_code == 200
        assert "date" in response.context["adminform"].form.errors
        assert not CalendarDay.objects.exists()
