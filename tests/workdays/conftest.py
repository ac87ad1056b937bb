from io import StringIO

import pytest
from django.core.management import call_command

from workdays import calendar


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    # Each test's rows are rolled back without a post_delete: start and end with an empty cache.
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def calendar_2026(db):
    """The 2026 arrangements from the chinesecalendar package, loaded the way `make run` does."""
    call_command("load_holidays", "--years", "2026", stdout=StringIO())
