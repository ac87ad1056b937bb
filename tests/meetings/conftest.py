"""The meetings' cast on top of `world`: both chains on the industry-committee path (so the scheduler
serves them), chain_a with a cooperating unit, the 2026 calendar, the issue categories."""

import pytest
from django.utils import translation

from accounts.roles import Role
from meetings.models import Meeting
from meetings.sweep import schedule_quarterly_meetings
from tests import factories as f
from tests.clock import at
from tests.issues.conftest import calendar_2026, categories  # noqa: F401 - the issues' fixtures, shared


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
def meetings_world(chains, calendar_2026, categories):  # noqa: F811 - the imported fixtures, by name
    return chains


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (services); pages and the API are asked for English too."""
    with translation.override("en"):
        yield


@pytest.fixture
def meeting(meetings_world):
    """chain_a's 2026Q4 meeting (and chain_b's), scheduled on 1 October: proposed for Tue 20 October 14:30."""
    schedule_quarterly_meetings(at=at(10, 1, 6))
    return Meeting.objects.get(chain=meetings_world.chain_a)


@pytest.fixture
def client(client):
    """Messages are asserted in English; zh-hans is the default language."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def api(api):
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return api
