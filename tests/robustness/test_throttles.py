"""What anyone may ask without signing in is limited per address (chainparty.middleware.ThrottleMiddleware,
counted in the database by chainparty.throttle): past the limit a 429 with Retry-After, JSON on the
API and the portal's page elsewhere, in Chinese; the load balancer's probe is never limited."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.tasks import clear_expired_sessions_task
from chainparty import throttle
from chainparty.env import env_rate
from chainparty.models import RateWindow
from tests.concurrency import in_threads

ALL_OFF = {"login": None, "api_anonymous": None, "calendar_feed": None, "set_language": None}


@pytest.fixture
def limits(settings):
    """Every limit off but the ones a test sets."""

    def set_limits(**rates):
        settings.RATE_LIMITS = {**ALL_OFF, **rates}

    return set_limits


def login(client, username="nobody"):
    return client.post("/accounts/login/", {"username": username, "password": "wrong-password-1"})


def assert_refused_page(response):
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "请求过于频繁" in response.content.decode()


def test_sign_in_attempts_from_one_address_are_limited(db, limits):
    limits(login=(3, 60))
    client = Client()
    for username in ("a", "b", "c"):  # several names: django-axes alone locks one name at a time
        assert login(client, username).status_code == 200
    assert_refused_page(login(client, "d"))
    assert_refused_page(client.post("/admin/login/", {"username": "e", "password": "x"}))
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert login(other).status_code == 200


def test_the_sign_in_page_itself_is_not_counted(db, limits):
    limits(login=(1, 60))
    client = Client()
    for _ in range(3):
        assert client.get("/accounts/login/").status_code == 200
    assert login(client).status_code == 200


def test_a_window_that_ended_lets_the_address_in_again(db, limits):
    limits(login=(1, 60))
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        login(client)
        refused = login(client)
        assert refused.status_code == 429
        clock.shift(timedelta(seconds=int(refused["Retry-After"])))
        assert login(client).status_code == 200


def queries_of(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_refused_credentials_on_the_api_are_limited_per_address(api, world, limits):
    limits(api_anonymous=(3, 60))
    token = Token.objects.create(user=world.staff).key
    for _ in range(5):  # a valid token is never counted
        assert api.get("/api/v1/chains/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    assert api.get("/api/v1/chains/").status_code == 401
    assert api.get("/api/v1/chains/", HTTP_AUTHORIZATION="Token wrong").status_code == 401
    assert api.get("/api/v1/issues/", HTTP_AUTHORIZATION="Token wrong-again").status_code == 401
    refused = api.get("/api/v1/chains/", HTTP_AUTHORIZATION="Token one-more")
    assert refused.status_code == 429
    assert refused.json() == {"code": "rate_limited", "detail": refused.json()["detail"]}
    assert "秒后再试" in refused.json()["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert RateWindow.objects.get().count == 4
    # A valid token costs the throttle no query.
    valid = lambda: api.get("/api/v1/chains/", HTTP_AUTHORIZATION=f"Token {token}")  # noqa: E731
    counted = queries_of(valid)
    limits()
    assert queries_of(valid) == counted


def test_a_signed_in_session_on_the_api_is_not_counted(client, world, limits):
    limits(api_anonymous=(1, 60))
    client.force_login(world.staff)
    for _ in range(5):
        assert client.get("/api/v1/chains/").status_code == 200
    assert not RateWindow.objects.exists()


def test_guessed_calendar_feed_links_are_limited_per_address(db, limits):
    limits(calendar_feed=(2, 60))
    client = Client()
    for _ in range(2):
        assert client.get("/meetings/feed/guessed-token.ics").status_code == 404
    assert_refused_page(client.get("/meetings/feed/another-guess.ics"))


def test_the_language_switch_is_limited_per_address(db, limits):
    limits(set_language=(2, 60))
    client = Client()
    for _ in range(2):
        assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    refused = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert refused.status_code == 429


def test_the_health_probe_is_never_limited(db, settings):
    settings.RATE_LIMITS = dict.fromkeys(ALL_OFF, (1, 60))
    client = Client()
    for _ in range(5):
        assert client.get("/health/").status_code == 200
    assert not RateWindow.objects.exists()


def test_the_count_is_exact_under_concurrent_requests(transactional_db):
    rate = (10, 3600)
    answers = in_threads(*[lambda: throttle.hit("race:192.0.2.1", rate) for _ in range(16)])
    assert sum(answer is None for answer in answers) == 10
    assert RateWindow.objects.get(key="race:192.0.2.1").count == 16


def test_the_daily_clean_up_purges_ended_windows_only(db):
    now = timezone.now()
    throttle.hit("old:192.0.2.1", (5, 60), now=now - timedelta(hours=2))
    throttle.hit("current:192.0.2.1", (5, 3600), now=now)
    clear_expired_sessions_task()
    assert list(RateWindow.objects.values_list("key", flat=True)) == ["current:192.0.2.1"]


@pytest.mark.parametrize(
    ("value", "rate"),
    [("60/min", (60, 60)), ("5/s", (5, 1)), ("100/h", (100, 3600)), ("7/d", (7, 86400)), ("off", None)],
)
def test_a_rate_is_read_from_the_environment(monkeypatch, value, rate):
    monkeypatch.setenv("RATE_LIMIT_X", value)
    assert env_rate("RATE_LIMIT_X", "1/min") == rate


@pytest.mark.parametrize("value", ["sixty", "60/week", "-1/min", "60 per minute"])
def test_a_malformed_rate_fails_at_start_up(monkeypatch, value):
    monkeypatch.setenv("RATE_LIMIT_X", value)
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_X"):
        env_rate("RATE_LIMIT_X", "1/min")
