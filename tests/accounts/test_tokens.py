"""API token authentication (accounts.tokens): the token, its owner and the owner's roles in one query,
read afresh on every call, so that a role taken away or a token revoked counts on the next call; a
refused token gets DRF's own answer."""

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from accounts.models import User
from accounts.roles import Role
from accounts.tokens import ExpiringTokenAuthentication
from tests import factories as f

pytestmark = pytest.mark.django_db


def authenticate(key: str):
    return ExpiringTokenAuthentication().authenticate_credentials(key)


def test_a_token_brings_its_owners_roles_in_one_query(world, django_assert_num_queries):
    owner = f.UserFactory(unit=world.dept_a, roles=[Role.UNIT_HANDLER, Role.CHAIN_LEADER])
    token = Token.objects.create(user=owner)
    with django_assert_num_queries(1):
        user, found = authenticate(token.key)
        assert user.roles == {Role.UNIT_HANDLER, Role.CHAIN_LEADER}
        assert user.has_role(Role.CHAIN_LEADER)
        assert not user.is_district_staff
    assert (user, found) == (owner, token)


def test_an_owner_without_a_role_has_none(world, django_assert_num_queries):
    token = Token.objects.create(user=f.UserFactory())
    with django_assert_num_queries(1):
        user, _ = authenticate(token.key)
        assert user.roles == frozenset()


def test_a_role_taken_away_counts_on_the_next_call(world):
    token = Token.objects.create(user=world.leader_a)
    assert authenticate(token.key)[0].has_role(Role.CHAIN_LEADER)
    world.leader_a.groups.remove(Group.objects.get(name=Role.CHAIN_LEADER))
    assert authenticate(token.key)[0].roles == frozenset()


def test_an_unknown_token_or_an_inactive_owner_is_refused_as_drf_refuses_it(world):
    token = Token.objects.create(user=world.handler_a)
    # An update that bypasses the signals (a deactivation through the services also revokes the token).
    User.objects.filter(pk=world.handler_a.pk).update(is_active=False)
    with translation.override("en"):
        with pytest.raises(AuthenticationFailed, match="Invalid token"):
            authenticate("not-a-token")
        with pytest.raises(AuthenticationFailed, match="User inactive or deleted"):
            authenticate(token.key)
