"""Sessions: signed out after SESSION_IDLE_TIMEOUT without a request (30 minutes by default), beside
the absolute SESSION_COOKIE_AGE; no-store on every signed-in answer and on the API."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, AuditKind

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-42"


def sign_in(client, username="leader_a"):
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302


def test_the_idle_timeout_is_thirty_minutes_by_default():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


class TestIdleTimeout:
    def test_a_session_idle_longer_than_the_timeout_is_signed_out(self, world, client):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            sign_in(client)
        with time_machine.travel(start + timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 5), tick=False):
            response = client.get(reverse("chains:chain-list"))
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/?next=/chains/")
            assert client.get(reverse("home")).status_code == 302  # the session is gone
        assert AuditEvent.objects.filter(kind=AuditKind.SIGN_OUT, actor=world.leader_a).count() == 1

    def test_activity_keeps_the_session_alive(self, world, client):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            sign_in(client)
        step = timedelta(seconds=settings.SESSION_IDLE_TIMEOUT - 60)
        for n in range(1, 5):  # two hours in all, never idle for the timeout
            with time_machine.travel(start + n * step, tick=False):
                assert client.get(reverse("home")).status_code == 200, n

    def test_the_api_answers_401_once_idle(self, world, client):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            sign_in(client)
        with time_machine.travel(start + timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 5), tick=False):
            response = client.get("/api/v1/chains/")
            assert response.status_code == 401

    def test_the_absolute_lifetime_still_ends_an_active_session(self, world, client):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            sign_in(client)
        step = timedelta(seconds=settings.SESSION_IDLE_TIMEOUT - 60)
        signed_in = True
        for n in range(1, 20):
            with time_machine.travel(start + n * step, tick=False):
                signed_in = client.get(reverse("home")).status_code == 200
                if (n * step).total_seconds() > settings.SESSION_COOKIE_AGE:
                    break
        assert not signed_in


class TestNoStore:
    def test_signed_in_pages_are_not_stored(self, world, client):
        sign_in(client)
        response = client.get(reverse("chains:chain-list"))
        assert "no-store" in response["Cache-Control"]

    def test_api_answers_are_not_stored(self, world, api):
        assert "no-store" in api.get("/api/v1/chains/")["Cache-Control"]
        api.force_authenticate(world.staff)
        assert "no-store" in api.get("/api/v1/chains/")["Cache-Control"]
