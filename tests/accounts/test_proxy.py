"""Client addresses behind the reverse proxy (AXES_PROXY_COUNT, django-ipware): the lockout and the
audit trail see the real client, a client cannot pick its address by sending X-Forwarded-For, and
one attacker's failures lock out only the (username, address) pair they tried — never the account
from everywhere, and never everyone behind the proxy."""

import pytest
from django.conf import settings

from accounts.models import AuditEvent, AuditKind

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-42"
LOGIN = "/accounts/login/"
PROXY, INNER_PROXY = "172.16.0.1", "172.16.0.2"


def sign_in(client, username, password, *, peer, forwarded=None):
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def lock_out(client, username, *, peer, forwarded):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, username, "wrong-password", peer=peer, forwarded=forwarded)


@pytest.fixture
def one_proxy(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 0  # AXES_PROXY_COUNT=1, as settings.py derives it
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


@pytest.fixture
def two_proxies(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1  # AXES_PROXY_COUNT=2
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


def last_sign_in_address(kind=AuditKind.SIGN_IN):
    return AuditEvent.objects.filter(kind=kind).latest("pk").ip_address


class TestOneProxy:
    def test_the_trail_records_the_client_the_proxy_saw(self, world, client, one_proxy):
        assert sign_in(client, "staff", PASSWORD, peer=PROXY, forwarded="203.0.113.7").status_code == 302
        assert last_sign_in_address() == "203.0.113.7"

    def test_a_forged_header_does_not_change_the_address(self, world, client, one_proxy):
        # The client sends "X-Forwarded-For: 198.51.100.1"; the proxy appends the address it saw.
        sign_in(client, "staff", "wrong-password", peer=PROXY, forwarded="198.51.100.1, 203.0.113.7")
        assert last_sign_in_address(AuditKind.SIGN_IN_FAILED) == "203.0.113.7"

    def test_an_attacker_locks_out_only_their_own_address(self, world, client, one_proxy):
        lock_out(client, "security", peer=PROXY, forwarded="203.0.113.66")
        assert sign_in(client, "security", PASSWORD, peer=PROXY, forwarded="203.0.113.66").status_code == 429
        # The real security administrator, from the office, behind the same proxy:
        assert sign_in(client, "security", PASSWORD, peer=PROXY, forwarded="10.20.0.5").status_code == 302

    def test_rotating_forged_addresses_still_counts_against_the_real_one(self, world, client, one_proxy):
        for n in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, "staff", "wrong-password", peer=PROXY, forwarded=f"198.51.100.{n}, 203.0.113.66")
        assert sign_in(client, "staff", PASSWORD, peer=PROXY, forwarded="203.0.113.66").status_code == 429
        assert sign_in(client, "staff", PASSWORD, peer=PROXY, forwarded="10.20.0.5").status_code == 302


class TestTwoProxies:
    def test_the_client_is_the_one_the_outer_proxy_saw(self, world, client, two_proxies):
        sign_in(client, "staff", PASSWORD, peer=INNER_PROXY, forwarded=f"203.0.113.9, {PROXY}")
        assert last_sign_in_address() == "203.0.113.9"

    def test_the_lockout_follows_the_real_client(self, world, client, two_proxies):
        lock_out(client, "leader_a", peer=INNER_PROXY, forwarded=f"203.0.113.66, {PROXY}")
        attacker, colleague = f"203.0.113.66, {PROXY}", f"10.20.0.5, {PROXY}"
        assert sign_in(client, "leader_a", PASSWORD, peer=INNER_PROXY, forwarded=attacker).status_code == 429
        assert sign_in(client, "leader_a", PASSWORD, peer=INNER_PROXY, forwarded=colleague).status_code == 302


class TestNoProxy:
    def test_without_a_proxy_the_header_is_ignored(self, world, client):
        sign_in(client, "staff", PASSWORD, peer="10.0.0.8", forwarded="203.0.113.7")
        assert last_sign_in_address() == "10.0.0.8"

    def test_a_forged_header_cannot_dodge_the_lockout(self, world, client):
        for n in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, "staff", "wrong-password", peer="10.0.0.8", forwarded=f"198.51.100.{n}")
        assert sign_in(client, "staff", PASSWORD, peer="10.0.0.8", forwarded="198.51.100.200").status_code == 429
