"""The Django admin: who may enter and do what (accounts.admin.RoleGate), and lists that cost the
same number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.roles import Role
from chains.models import ChainMembership, EnterpriseHonour, Honour
from tests import factories as f

pytestmark = pytest.mark.django_db

# Each changelist, and the rows of _grow() whose names it shows.
SHOWN = {
    "/admin/chains/enterprise/": "enterprise",
    "/admin/chains/chain/": "chain",
    "/admin/chains/chainmaster/": "enterprise",
}
CHANGELISTS = list(SHOWN)
BUSINESS_PAGES = CHANGELISTS + ["/admin/secretaries/posting/", "/admin/accounts/unit/", "/admin/chains/park/"]


def _with_admin_access(user: User) -> User:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def _grow(world, n: int) -> dict[str, list[str]]:
    """n more of each listed kind of row, each with the related rows its list columns show."""
    names = {"enterprise": [], "chain": []}
    for _ in range(n):
        enterprise = f.EnterpriseFactory(park=world.park_a)
        f.MembershipFactory(enterprise=enterprise, chain=world.chain_a, segment=world.seg_a)
        f.HonourFactory(enterprise=enterprise, honour=Honour.HIGH_TECH)
        f.HonourFactory(enterprise=enterprise, honour=Honour.LITTLE_GIANT)
        chain = f.ChainFactory(industry_committee=world.ic_a)
        f.LeadershipFactory(chain=chain)
        f.LeadershipFactory(chain=chain, role="deputy")
        f.ChainMasterFactory(chain=chain, enterprise=enterprise, status="designated")
        names["enterprise"].append(enterprise.name)
        names["chain"].append(chain.name)
    return names


@pytest.mark.parametrize("url", CHANGELISTS)
def test_staff_admin_changelist_costs_the_same_queries_for_3x_rows(world, client, url):
    client.force_login(_with_admin_access(world.staff))
    # The world holds 3 enterprises, 2 chains, 2 chain masters: grow to 4 of each, then to 12.
    first_names = _grow(world, 2)
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert response.status_code == 200
    last_names = _grow(world, 8)

    with CaptureQueriesContext(connection) as large:
        response = client.get(url)

    assert response.status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    page = response.content.decode()
    shown = first_names[SHOWN[url]] + last_names[SHOWN[url]]
    assert all(name in page for name in shown)


def test_enterprise_changelist_shows_honours_and_finds_by_credit_code(world, client):
    client.force_login(_with_admin_access(world.staff))
    f.HonourFactory(enterprise=world.ent_b1, honour=Honour.SINGLE_CHAMPION)

    response = client.get("/admin/chains/enterprise/", {"q": world.ent_b1.credit_code[:12]})

    page = response.content.decode()
    assert world.ent_b1.name in page
    assert str(Honour.SINGLE_CHAMPION.label) in page


@pytest.mark.parametrize("username", ["leader_a", "handler_a", "chief_a", "secretary_a", "contact_a", "outsider"])
def test_users_without_admin_access_are_sent_to_the_admin_login(world, client, username):
    client.force_login(getattr(world, username))

    for url in ["/admin/", *CHANGELISTS]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_a_chain_leader_with_is_staff_still_reaches_no_admin_page(world, client):
    client.force_login(_with_admin_access(world.leader_a))

    assert client.get("/admin/").status_code == 200  # the index, empty
    for url in BUSINESS_PAGES + ["/admin/accounts/user/"]:
        assert client.get(url).status_code == 403, url


def test_district_staff_cannot_manage_accounts(world, client):
    client.force_login(_with_admin_access(world.staff))

    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get(f"/admin/accounts/user/{world.leader_a.pk}/change/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_district_staff_may_look_people_up_to_name_a_chain_leader(world, client):
    client.force_login(_with_admin_access(world.staff))

    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "chains", "model_name": "chainleadership", "field_name": "user", "term": "leader_b"},
    )

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(world.leader_b.pk)]


def test_security_admin_manages_accounts_and_sees_no_business_data(world, client):
    client.force_login(_with_admin_access(world.security))

    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get(f"/admin/accounts/user/{world.contact_a.pk}/change/").status_code == 200
    assert client.get("/admin/axes/accessattempt/").status_code == 200
    for url in BUSINESS_PAGES:
        assert client.get(url).status_code == 403, url
    # Attaching an account to an enterprise: a lookup by name, nothing more.
    lookup = client.get(
        "/admin/autocomplete/",
        {"app_label": "accounts", "model_name": "user", "field_name": "enterprise", "term": "乙一"},
    )
    assert lookup.status_code == 200
    assert lookup.json()["results"] == [{"id": str(world.ent_b1.pk), "text": world.ent_b1.name}]
    assert client.get(f"/admin/chains/enterprise/{world.ent_b1.pk}/change/").status_code == 403


def test_auditor_reads_the_sign_in_logs_only(world, client):
    client.force_login(_with_admin_access(world.auditor))

    assert client.get("/admin/axes/accesslog/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 403
    for url in BUSINESS_PAGES:
        assert client.get(url).status_code == 403, url


def test_a_user_cannot_belong_to_a_unit_and_an_enterprise(world, client):
    client.force_login(_with_admin_access(world.security))
    data = {
        "username": "both",
        "usable_password": "true",
        "password1": "Quite-Long-Passphrase-19",
        "password2": "Quite-Long-Passphrase-19",
        "full_name": "两边都有",
        "unit": world.dept_a.pk,
        "enterprise": world.ent_a1.pk,
    }

    response = client.post("/admin/accounts/user/add/", data)

    assert response.status_code == 200
    assert "enterprise" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="both").exists()


def test_security_admin_cannot_widen_their_own_access(world, client):
    security = _with_admin_access(world.security)
    client.force_login(security)
    data = {
        "username": "security",
        "full_name": "安全管理员",
        "phone": "",
        "email": "",
        "unit": world.two_new.pk,
        "enterprise": "",
        "groups": [security.groups.get().pk, f.UserFactory(roles=[Role.DISTRICT_STAFF]).groups.get().pk],
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
    }

    response = client.post(f"/admin/accounts/user/{security.pk}/change/", data)

    assert response.status_code == 302
    security.refresh_from_db()
    assert not security.is_superuser
    assert list(security.groups.values_list("name", flat=True)) == [Role.SECURITY_ADMIN]


def test_a_membership_segment_must_belong_to_its_chain(world, client):
    client.force_login(_with_admin_access(world.staff))

    response = client.post(
        "/admin/chains/chainmembership/add/",
        {"chain": world.chain_a.pk, "enterprise": world.ent_b1.pk, "segment": world.seg_b.pk},
    )

    assert response.status_code == 200
    assert "segment" in response.context["adminform"].form.errors
    assert not ChainMembership.objects.filter(chain=world.chain_a, enterprise=world.ent_b1).exists()
    assert not EnterpriseHonour.objects.filter(enterprise=world.ent_b1).exists()


def test_staff_designate_a_chain_master_through_the_admin_action(world, client):
    from chains.models import ChainMaster, ChainMasterStatus

    candidate = ChainMaster.objects.create(chain=world.chain_a, enterprise=world.ent_a2)
    world.staff.is_staff = True
    world.staff.save(update_fields=["is_staff"])
    client.force_login(world.staff)
    response = client.post(
        "/admin/chains/chainmaster/",
        {"action": "designate", "_selected_action": [candidate.pk]},
        follow=True,
    )
    assert response.status_code == 200
    candidate.refresh_from_db()
    world.master_a.refresh_from_db()
    assert candidate.status == ChainMasterStatus.DESIGNATED
    assert world.master_a.status == ChainMasterStatus.REVOKED


def test_staff_can_edit_the_holiday_table_in_the_admin(world, client):
    world.staff.is_staff = True
    world.staff.save(update_fields=["is_staff"])
    client.force_login(world.staff)
    response = client.post(
        "/admin/workdays/calendarday/add/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}
    )
    assert response.status_code == 302
    from workdays.models import CalendarDay

    assert CalendarDay.objects.get(date="2027-01-01").source == "manual"


def test_security_admin_cannot_reach_a_superuser(world, client):
    root = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    world.security.is_staff = True
    world.security.save(update_fields=["is_staff"])
    client.force_login(world.security)
    assert client.get(f"/admin/accounts/user/{root.pk}/change/").status_code == 302  # "does not exist"
    response = client.post(
        f"/admin/accounts/user/{root.pk}/password/",
        {"password1": "Hijacked-pass-987", "password2": "Hijacked-pass-987", "usable_password": "true"},
    )
    assert response.status_code == 404
    root.refresh_from_db()
    assert not root.check_password("Hijacked-pass-987")
    assert "root" not in client.get("/admin/accounts/user/").content.decode()
