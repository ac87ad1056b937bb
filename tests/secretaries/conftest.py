"""The secretaries' cast, beyond `world`: secretary_a is posted to ent_a1 (world); here a first
secretary on chain B (secretary_b on ent_b1), chief_a's park-chief posting to park_a, and a cadre of
the pool without an account. Tests run on 1 December 2026 (Asia/Shanghai) unless they travel."""

from datetime import date

import pytest
import time_machine

from accounts.roles import Role
from secretaries.models import Posting, PostingKind
from tests import factories as f
from tests.clock import at


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(at(12, 1), tick=False):
        yield


@pytest.fixture
def posts(world):
    world.posting_a = Posting.objects.get(enterprise=world.ent_a1, kind=PostingKind.FIRST_SECRETARY)
    world.secretary_b = f.UserFactory(username="secretary_b", unit=world.dept_b, roles=[Role.FIRST_SECRETARY])
    world.posting_b = f.PostingFactory(cadre=world.secretary_b, enterprise=world.ent_b1, end_date=date(2027, 6, 30))
    world.chief_posting = f.PostingFactory(
        cadre=world.chief_a, kind=PostingKind.PARK_CHIEF, enterprise=None, park=world.park_a
    )
    world.pool_cadre = f.CadreFactory(name="储备干部甲", source_unit=world.dept_a, expertise=["生物医药"])
    return world
