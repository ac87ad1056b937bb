"""The permission matrix (tests/matrix.py): a holiday row for the admin's calendar pages."""

import datetime

from workdays.models import CalendarDay


def objects(world):
    CalendarDay.objects.get_or_create(date=datetime.date(2026, 10, 1), defaults={"kind": "holiday", "name": "国庆节"})
    return {}
