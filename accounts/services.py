from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from accounts.roles import Role


def ensure_role_groups() -> dict[str, Group]:
    """Create the role groups if missing; safe to call any number of times."""
    return {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}


@transaction.atomic
def assign_roles(*, user: User, roles: list[Role]) -> User:
    groups = ensure_role_groups()
    user.groups.set([groups[role.value] for role in roles])
    user.__dict__.pop("roles", None)
    return user
