"""The cast: a small world with two chains, and one user per role plus outsiders.

chain_a (lead unit dept_a, industry committee ic_a, leader `leader_a`) holds enterprise ent_a1
(in park_a, with contact `contact_a`, first secretary `secretary_a`) and ent_a2.
chain_b (lead unit dept_b, leader `leader_b`) holds ent_b1 (in park_b, contact `contact_b`).
Every "cannot see it" test picks the user on one side and the object on the other.
"""

import socket
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from django.conf import settings
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


@pytest.fixture
def world(db):
    return build_world()


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
def _default_language():
    """Each test starts in the site's language: a request with another Accept-Language leaves its
    language active on the thread, and a service message asserted in Chinese would read English."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield
