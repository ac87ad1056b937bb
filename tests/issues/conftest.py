import pytest
from django.core.management import call_command

from issues.models import CategoryKind, IssueCategory
from workdays.calendar import clear_cache


@pytest.fixture
def calendar_2026(db):
    call_command("load_holidays", "--years", "2026", verbosity=0)
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def categories(db):
    return {
        kind: IssueCategory.objects.create(code=kind.value, name=str(kind.label), kind=kind, resolve_days=days)
        for kind, days in {
            CategoryKind.INQUIRY: 2,
            CategoryKind.REQUEST: 10,
            CategoryKind.COMPLAINT: 15,
        }.items()
    }
