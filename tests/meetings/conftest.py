"""The meetings' cast on top of `world`: both chains on the industry-committee path (so the scheduler
serves them), chain_a with a cooperating unit, the 2026 calendar, the issue categories."""

import pytest
from django.core.management import call_command

from accounts.roles import Role
from issues.models import CategoryKind, IssueCategory
from meetings.quarters import Quarter
from tests import factories as f
from workdays.calendar import clear_cache

Q4 = Quarter(2026, 4)


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
        for kind, days in {CategoryKind.INQUIRY: 2, CategoryKind.REQUEST: 10, CategoryKind.COMPLAINT: 15}.items()
    }


@pytest.fixture
def chains(world):
    """chain_a: leader_a, lead unit dept_a, cooperating town, industry committee ic_a. chain_b:
    leader_b, lead unit dept_b. A third chain off the industry-committee path gets no meeting."""
    world.chain_a.path_industry_committee = True
    world.chain_a.save(update_fields=["path_industry_committee"])
    world.chain_a.cooperating_units.add(world.town)
    world.chain_b.path_industry_committee = True
    world.chain_b.save(update_fields=["path_industry_committee"])
    f.ChainFactory(name="不走行业党委路径的链", code="chain-off", path_industry_committee=False)
    world.handler_ic = f.UserFactory(username="handler_ic", unit=world.ic_a, roles=[Role.UNIT_HANDLER])
    return world


@pytest.fixture
def meetings_world(chains, calendar_2026, categories):
    return chains


@pytest.fixture
def client(client):
    """Messages are asserted in English; zh-hans is the default language."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def api(api):
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return api
