"""三员分立 (MLPS 2.0 level 3): a security or audit administrator holds no business role and not the
other administrator's role — refused in the admin, by the service the commands use, and by the
database's own write path (a shell, a fixture)."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.roles import Role, role_combination_error
from accounts.services import assign_roles, ensure_role_groups
from tests import factories as f

pytestmark = pytest.mark.django_db

FORBIDDEN = [
    [Role.SECURITY_ADMIN, Role.DISTRICT_STAFF],
    [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN],
    [Role.AUDIT_ADMIN, Role.CHAIN_LEADER],
    [Role.AUDIT_ADMIN, Role.ENTERPRISE_CONTACT],
]
ALLOWED = [
    [Role.SECURITY_ADMIN],
    [Role.AUDIT_ADMIN],
    [Role.DISTRICT_STAFF, Role.CHAIN_LEADER],
    [Role.UNIT_HANDLER, Role.PARK_CHIEF, Role.FIRST_SECRETARY],
    [],
]


@pytest.mark.parametrize("roles", FORBIDDEN)
def test_an_administrator_role_with_any_other_is_refused(roles):
    message = role_combination_error(roles)
    assert message is not None
    assert "三员分立" in message or "Separation of duties" in message


@pytest.mark.parametrize("roles", ALLOWED)
def test_business_roles_together_or_one_administrator_role_alone_are_allowed(roles):
    assert role_combination_error(roles) is None


@pytest.mark.parametrize("roles", FORBIDDEN)
def test_the_service_refuses_and_writes_nothing(world, roles):
    with pytest.raises(ValidationError) as caught:
        assign_roles(user=world.outsider, roles=roles)
    assert "roles" in caught.value.message_dict
    assert not world.outsider.groups.exists()


def test_adding_a_business_group_to_an_administrator_directly_is_refused(world):
    groups = ensure_role_groups()
    with pytest.raises(ValidationError), transaction.atomic():
        world.security.groups.add(groups[Role.DISTRICT_STAFF])
    assert list(world.security.groups.values_list("name", flat=True)) == [Role.SECURITY_ADMIN]
    with pytest.raises(ValidationError), transaction.atomic():
        world.staff.groups.add(groups[Role.AUDIT_ADMIN])
    assert list(world.staff.groups.values_list("name", flat=True)) == [Role.DISTRICT_STAFF]


def _admin_client(client, world):
    world.security.is_staff = True
    world.security.save(update_fields=["is_staff"])
    client.force_login(world.security)
    return client


def _change_data(user: User, groups) -> dict:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "phone": "",
        "email": "",
        "unit": user.unit_id or "",
        "enterprise": user.enterprise_id or "",
        "groups": [g.pk for g in groups],
        "is_active": "on",
    }


@pytest.mark.parametrize("roles", FORBIDDEN)
def test_the_security_admin_cannot_combine_roles_in_the_admin(world, client, roles):
    _admin_client(client, world)
    target = f.UserFactory(username="target", unit=world.dept_a)
    groups = Group.objects.filter(name__in=[ensure_role_groups()[r].name for r in roles])

    response = client.post(f"/admin/accounts/user/{target.pk}/change/", _change_data(target, groups))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "groups" in errors
    assert "三员分立" in str(errors["groups"])
    assert not target.groups.exists()


def test_the_security_admin_cannot_create_an_account_with_combined_roles(world, client):
    _admin_client(client, world)
    groups = ensure_role_groups()
    data = {
        "username": "both-admins",
        "usable_password": "true",
        "password1": "Quite-Long-Passphrase-19",
        "password2": "Quite-Long-Passphrase-19",
        "full_name": "两员",
        "unit": world.two_new.pk,
        "enterprise": "",
        "groups": [groups[Role.SECURITY_ADMIN].pk, groups[Role.AUDIT_ADMIN].pk],
    }

    response = client.post("/admin/accounts/user/add/", data)

    assert response.status_code == 200
    assert "groups" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="both-admins").exists()


def test_a_business_combination_is_saved_in_the_admin(world, client):
    _admin_client(client, world)
    target = f.UserFactory(username="target", unit=world.dept_a)
    groups = Group.objects.filter(name__in=[Role.UNIT_HANDLER, Role.PARK_CHIEF])
    ensure_role_groups()

    response = client.post(f"/admin/accounts/user/{target.pk}/change/", _change_data(target, groups))

    assert response.status_code == 302
    assert set(target.groups.values_list("name", flat=True)) == {Role.UNIT_HANDLER, Role.PARK_CHIEF}
