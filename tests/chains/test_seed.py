"""`manage.py seed_demo`: idempotent, scalable, and a demo world the scope rules make sense of."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from accounts.models import Unit, UnitKind, User
from accounts.roles import Role
from chains import demo_data
from chains import models as chain_models
from chains.credit_code import validate_credit_code
from secretaries.models import Posting
from tests.conftest import rolled_back

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    # Every table, the auto-created many-to-many ones (roles, chiefs, cooperating units) included.
    return {model._meta.label: model._default_manager.count() for model in apps.get_models(include_auto_created=True)}


def test_a_database_with_real_accounts_is_refused_unless_forced():
    User.objects.create_user("zhangsan", password="x")
    before = row_counts()
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert row_counts() == before
    assert "Demo accounts" in seed("--force")
    assert User.objects.filter(username="staff").exists()
    seed()  # seeded once: the demo accounts say it is a demo database


def test_seeding_twice_changes_no_table():
    seed()
    first = row_counts()
    assert first["chains.Enterprise"] > 50
    assert first["accounts.User_groups"] >= len(Role)

    output = seed()

    assert row_counts() == first
    assert "Nothing to do" in output


def test_scaling_adds_up_to_n_enterprises_and_then_nothing():
    seed()
    seed()
    curated = chain_models.Enterprise.objects.count()

    seed("--enterprises", "300")
    assert chain_models.Enterprise.objects.count() == 300
    scaled = row_counts()
    assert scaled["chains.ChainMembership"] > curated + (300 - curated)  # every SME sits on a chain
    codes = set(chain_models.Enterprise.objects.values_list("credit_code", flat=True))

    seed("--enterprises", "300")
    assert row_counts() == scaled

    seed("--enterprises", "310")
    assert chain_models.Enterprise.objects.count() == 310
    assert codes < set(chain_models.Enterprise.objects.values_list("credit_code", flat=True))


def test_a_smaller_n_removes_nothing():
    seed("--enterprises", "200")
    before = row_counts()

    seed("--enterprises", "100")

    assert row_counts() == before


def test_every_seeded_credit_code_is_valid():
    seed("--enterprises", "400")

    codes = list(chain_models.Enterprise.objects.values_list("credit_code", flat=True))

    assert len(codes) == 400
    for code in codes:
        validate_credit_code(code)


def test_demo_accounts_all_see_the_demo_enterprise_through_their_own_relation():
    seed("--enterprises", "200")
    users = {
        user.username: user for user in User.objects.filter(username__in=[a.username for a in demo_data.DEMO_ACCOUNTS])
    }
    sme = chain_models.Enterprise.objects.get(name=demo_data.DEMO_ENTERPRISE)
    biomedicine = chain_models.Chain.objects.get(code="biomedicine")

    assert sme.is_sme
    assert users["contact"].enterprise == sme
    assert Posting.objects.active().filter(cadre__user=users["secretary"], enterprise=sme).exists()
    assert users["parkchief"] in chain_models.Park.objects.get(name=demo_data.SCIENCE_CITY).chiefs.all()
    assert sme.park.name == demo_data.SCIENCE_CITY
    assert users["handler"].unit == biomedicine.lead_unit
    assert biomedicine.leaderships.get(role=chain_models.LeaderRole.LEADER).user == users["leader"]
    for username in ("staff", "leader", "handler", "parkchief", "secretary", "contact"):
        assert chain_models.Enterprise.objects.visible_to(users[username]).filter(pk=sme.pk).exists(), username
    # ... and only the contact is limited to it.
    assert list(chain_models.Enterprise.objects.visible_to(users["contact"])) == [sme]
    for username in ("security", "auditor"):
        assert not chain_models.Enterprise.objects.visible_to(users[username]).exists()


def test_reset_passwords_only_when_asked():
    seed()
    leader = User.objects.get(username="leader")
    leader.set_password("Changed-By-The-User-77")
    leader.save()

    seed()
    leader.refresh_from_db()
    assert leader.check_password("Changed-By-The-User-77")

    output = seed("--reset-passwords")
    leader.refresh_from_db()
    assert leader.check_password(demo_data.DEMO_PASSWORD)
    assert "passwords reset: 8" in output


def test_a_scaled_registry_has_the_document_honour_counts():
    seed("--enterprises", "1500")

    counts = dict(
        chain_models.EnterpriseHonour.objects.values_list("honour").annotate(n=Count("pk")).values_list("honour", "n")
    )
    assert counts[chain_models.Honour.LITTLE_GIANT] == 32
    assert counts[chain_models.Honour.SINGLE_CHAMPION] == 7
    assert counts[chain_models.Honour.TWO_HIGH_FOUR_NEW] == 343
    assert counts[chain_models.Honour.HIGH_TECH] > 100
    assert counts[chain_models.Honour.PROVINCIAL_SPECIALISED] > 50
    assert chain_models.Enterprise.objects.smes().count() >= 0.95 * 1500
    assert not chain_models.Enterprise.objects.filter(memberships__isnull=True).exists()
    assert not chain_models.Enterprise.objects.filter(
        honours__honour=chain_models.Honour.LITTLE_GIANT, size_class="large"
    ).exists()
    both = chain_models.Enterprise.objects.filter(honours__honour=chain_models.Honour.LITTLE_GIANT).filter(
        honours__honour=chain_models.Honour.SINGLE_CHAMPION
    )
    assert not both.exists()

    seed("--enterprises", "1500")
    assert chain_models.EnterpriseHonour.objects.filter(honour=chain_models.Honour.TWO_HIGH_FOUR_NEW).count() == 343


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """The plain `seed_demo` once for the class's tests, which only read what it left; each test's
    own writes (none) would roll back to it."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            seed()
        yield


@pytest.mark.usefixtures("seeded")
class TestTheSeededDemo:
    """What one `seed_demo` leaves, read by each test (seeded once for the class: see `seeded`)."""

    def test_each_role_has_one_demo_account_with_the_demo_password(self):
        for role in Role:
            accounts = [a for a in demo_data.DEMO_ACCOUNTS if a.role == role]
            assert len(accounts) == 1, role
            user = User.objects.get(username=accounts[0].username)
            assert role.value in user.roles
            assert user.check_password(demo_data.DEMO_PASSWORD)
        assert not User.objects.filter(is_superuser=True).exists()
        assert set(User.objects.filter(is_staff=True).values_list("username", flat=True)) == {
            "staff",
            "security",
            "auditor",
        }
        # The rest of the cast are people, not logins (but for the two extra handlers the issue demo
        # needs to act a joint flow and the first rung of the ladder).
        from issues.demo_data import EXTRA_HANDLERS

        logins = [a.username for a in demo_data.DEMO_ACCOUNTS] + [username for username, _, _ in EXTRA_HANDLERS]
        others = User.objects.exclude(username__in=logins)
        assert others.exists()
        assert not any(user.has_usable_password() for user in others)

    def test_units_of_every_kind_and_industry_committees_for_member_departments(self):
        assert set(Unit.objects.values_list("kind", flat=True)) == set(UnitKind.values)
        assert Unit.objects.get(name="区科学技术局").industry_committee.name == "区科技系统行业党委"
        assert Unit.objects.get(name="区工业和信息化局").industry_committee.name == "区工信系统行业党委"

    def test_parks_as_in_the_document(self):
        science_city = chain_models.Park.objects.get(name="广州科学城")
        accelerator = chain_models.Park.objects.get(kind=chain_models.ParkKind.ACCELERATOR)
        assert science_city.kind == chain_models.ParkKind.SCIENCE_CITY
        assert science_city.chiefs.count() == 2
        assert set(accelerator.facilities.values_list("name", "kind")) >= {
            ("红创谷", "venue"),
            ("中小企业先行示范馆", "venue"),
            ("明珞党建展厅", "venue"),
            ("科技创新促进会", "platform"),
            ("金融服务超市", "platform"),
        }

    def test_every_chain_is_complete(self):
        chains = chain_models.Chain.objects.annotate(n=Count("memberships")).prefetch_related(
            "segments", "leaderships__user__groups", "cooperating_units"
        )
        assert len(chains) == len(demo_data.CHAINS) >= 5
        for chain in chains:
            assert 8 <= chain.n <= 15, chain
            assert chain.cooperating_units.all()
            assert chain.industry_committee.kind == UnitKind.INDUSTRY_PARTY_COMMITTEE
            assert {s.position for s in chain.segments.all()} == set(chain_models.SegmentPosition.values), chain
            roles = {leadership.role for leadership in chain.leaderships.all()}
            assert roles == {chain_models.LeaderRole.LEADER, chain_models.LeaderRole.DEPUTY}, chain
            for leadership in chain.leaderships.all():
                assert Role.CHAIN_LEADER in leadership.user.roles
            designated = chain_models.ChainMaster.objects.get(
                chain=chain, status=chain_models.ChainMasterStatus.DESIGNATED
            )
            assert all(score > 0 for _label, score in designated.scores)
            assert {m.source for m in designated.task_force.all()} >= {
                chain_models.MemberSource.INTERNAL,
                chain_models.MemberSource.SECONDED,
            }
            assert {m.kind for m in designated.measures.all()} == set(chain_models.MeasureKind.values)
        # Memberships: the segment belongs to the membership's chain.
        assert not chain_models.ChainMembership.objects.exclude(segment__chain=F("chain")).exists()
        assert set(chain_models.ChainMaster.objects.values_list("measures__status", flat=True)) >= set(
            chain_models.MeasureStatus.values
        )
        maipu = chain_models.ChainMaster.objects.get(
            chain__code="biomedicine", status=chain_models.ChainMasterStatus.DESIGNATED
        )
        assert maipu.enterprise.name == "广州迈普再生医学科技股份有限公司"
