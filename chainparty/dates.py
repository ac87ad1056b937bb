"""Dates and instants. The district works in Asia/Shanghai (settings.TIME_ZONE); a calendar day
given by a user means that day there."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def start_of_day(day: date) -> datetime:
    """00:00 of the day in Asia/Shanghai, as an aware instant."""
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)
