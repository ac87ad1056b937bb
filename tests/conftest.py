"""The cast: a small world with two chains, and one user per role plus outsiders.

chain_a (lead unit dept_a, industry committee ic_a, leader `leader_a`) holds enterprise ent_a1
(in park_a, with contact `contact_a`, first secretary `secretary_a`) and ent_a2.
chain_b (lead unit dept_b, leader `leader_b`) holds ent_b1 (in park_b, contact `contact_b`).
Every "cannot see it" test picks the user on one side and the object on the other.
"""

import copy
import socket
from contextlib import contextmanager
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import transaction
from pytest_django.fixtures import validate_django_db
from rest_framework.test import APIClient

from accounts.models import UnitKind
from accounts.roles import Role
from tests import factories as f


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def pytest_sessionstart(session):
    missing = []
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        missing.append(f"the suite runs on PostgreSQL; DATABASE_URL points at {db['ENGINE']}")
    elif not _reachable(settings.DATABASE_URL, 5432):
        missing.append(f"PostgreSQL is not reachable at {db['HOST']}:{db['PORT']} (set DATABASE_URL)")
    if not _reachable(settings.REDIS_URL, 6379):
        missing.append(f"Redis is not reachable at {settings.REDIS_URL} (set REDIS_URL)")
    if missing:
        pytest.exit("Cannot run the tests:\n  - " + "\n  - ".join(missing), returncode=3)


def build_world() -> SimpleNamespace:
    """The cast's objects (the `world` fixture's, and the permission matrix's once per module)."""
    district = f.UnitFactory(name="区委", kind=UnitKind.DISTRICT_COMMITTEE)
    two_new = f.UnitFactory(name="区委两新工委", kind=UnitKind.TWO_NEW_COMMITTEE)
    ic_a = f.UnitFactory(name="行业党委A", kind=UnitKind.INDUSTRY_PARTY_COMMITTEE)
    dept_a = f.UnitFactory(name="经济部门A", industry_committee=ic_a)
    dept_b = f.UnitFactory(name="经济部门B")
    town = f.UnitFactory(name="镇街C", kind=UnitKind.TOWN_STREET)

    park_a = f.ParkFactory(name="科学城A")
    park_b = f.ParkFactory(name="加速器B")

    chain_a = f.ChainFactory(name="生物医药链A", code="chain-a", lead_unit=dept_a, industry_committee=ic_a)
    chain_b = f.ChainFactory(name="新能源链B", code="chain-b", lead_unit=dept_b)
    seg_a = f.SegmentFactory(chain=chain_a, name="研发A")
    seg_b = f.SegmentFactory(chain=chain_b, name="制造B")

    ent_a1 = f.EnterpriseFactory(name="甲一企业", park=park_a)
    ent_a2 = f.EnterpriseFactory(name="甲二企业")
    ent_b1 = f.EnterpriseFactory(name="乙一企业", park=park_b)
    for ent, seg in ((ent_a1, seg_a), (ent_a2, seg_a), (ent_b1, seg_b)):
        f.MembershipFactory(enterprise=ent, segment=seg, chain=seg.chain)
    master_a = f.ChainMasterFactory(chain=chain_a, enterprise=ent_a1, status="designated")
    master_b = f.ChainMasterFactory(chain=chain_b, enterprise=ent_b1, status="designated")

    staff = f.UserFactory(username="staff", unit=two_new, roles=[Role.DISTRICT_STAFF])
    leader_a = f.UserFactory(username="leader_a", unit=district, roles=[Role.CHAIN_LEADER])
    leader_b = f.UserFactory(username="leader_b", unit=district, roles=[Role.CHAIN_LEADER])
    f.LeadershipFactory(chain=chain_a, user=leader_a)
    f.LeadershipFactory(chain=chain_b, user=leader_b)
    handler_a = f.UserFactory(username="handler_a", unit=dept_a, roles=[Role.UNIT_HANDLER])
    handler_b = f.UserFactory(username="handler_b", unit=dept_b, roles=[Role.UNIT_HANDLER])
    handler_town = f.UserFactory(username="handler_town", unit=town, roles=[Role.UNIT_HANDLER])
    chief_a = f.UserFactory(username="chief_a", unit=town, roles=[Role.PARK_CHIEF])
    park_a.chiefs.add(chief_a)
    secretary_a = f.UserFactory(username="secretary_a", unit=dept_b, roles=[Role.FIRST_SECRETARY])
    f.PostingFactory(cadre=secretary_a, enterprise=ent_a1)
    contact_a = f.UserFactory(username="contact_a", enterprise=ent_a1, roles=[Role.ENTERPRISE_CONTACT])
    contact_b = f.UserFactory(username="contact_b", enterprise=ent_b1, roles=[Role.ENTERPRISE_CONTACT])
    security = f.UserFactory(username="security", unit=two_new, roles=[Role.SECURITY_ADMIN])
    auditor = f.UserFactory(username="auditor", unit=two_new, roles=[Role.AUDIT_ADMIN])
    outsider = f.UserFactory(username="outsider")

    return SimpleNamespace(**{k: v for k, v in locals().items() if not k.startswith("_")})


def _transactional(item: pytest.Item) -> bool:
    """Whether pytest-django runs the test as a TransactionTestCase (its own rule, in
    pytest_django.fixtures._django_db_helper): its rows are committed, and the tables flushed after."""
    marker = item.get_closest_marker("django_db")
    transactional, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    return bool(transactional or reset_sequences or {"transactional_db", "live_server"} & set(item.fixturenames))


def _uses_the_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server", "django_db_reset_sequences"} & set(item.fixturenames)
    )


def _may_share_the_world(module_items: list[pytest.Item]) -> bool:
    """A module's tests may share one cast when every test of it that touches the database asks for
    the cast, and none is transactional: a test that commits (`django_db(transaction=True)`, a live
    server) cannot run inside the open transaction that holds the cast, and a test that did not ask
    for the cast must not find its rows there."""
    database_tests = [item for item in module_items if _uses_the_database(item)]
    return all("world" in item.fixturenames and not _transactional(item) for item in database_tests)


@contextmanager
def rolled_back(django_db_blocker):
    """A transaction open around the tests of a module (or a class) for the rows they share, rolled
    back at its end. Each test runs in a savepoint within it (pytest-django's own per-test atomic
    block, as in the permission matrix), so what one test writes is gone before the next. Build the
    shared rows inside, with `django_db_blocker.unblock()`."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def _module_world(request, django_db_setup, django_db_blocker):
    """The cast built once for the module, when its tests may share it (`_may_share_the_world`); else
    None, and each test builds its own. As Django's TestCase.setUpTestData: building the cast costs
    some 200 queries, and nearly every test asks for it."""
    module_items = [item for item in request.session.items if item.module is request.module]
    if not _may_share_the_world(module_items):
        yield None
        return
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            world = build_world()
        yield world


@pytest.fixture
def world(db, _module_world):
    """The cast for one test. A copy of the module's (the rows are the same: each test's writes are
    rolled back), so that a test changing an object in Python leaves the next one the object as built;
    or, where the module's tests may not share it, its own."""
    return build_world() if _module_world is None else copy.deepcopy(_module_world)


@pytest.fixture
def api():
    """An API client; `api.force_authenticate(user)` picks who calls."""
    return APIClient()


@pytest.fixture
def enqueued(monkeypatch):
    """The names of the tasks handed to the broker, recorded instead of sent. With
    `django_capture_on_commit_callbacks(execute=True)` a test sees what a write enqueues on commit:
    nothing inside the block (before the commit), the tasks once it ends."""
    names = []
    monkeypatch.setattr("inbox.services.enqueue", lambda name, *args: names.append(name) or True)
    return names


@pytest.fixture(autouse=True)
def _fresh_workday_calendar():
    """Test rows roll back without delete signals; never let one test see another's holidays."""
    from workdays import calendar

    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture(autouse=True)
def _empty_cache():
    """What one test computed and cached (a dashboard's figures) is not another's: the rows it was
    computed from rolled back."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request with another Accept-Language leaves its
    language active on the thread, and a service message asserted in Chinese would read English."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield
