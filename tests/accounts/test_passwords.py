"""The password policy through the real pages: the rules, the change-password page for everyone,
the forced change after an administrator set the password, expiry, and tokens dying with it."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-42"
CHANGE = "/accounts/password/"


def sign_in(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.1")


def change(client, old, new):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


class TestRules:
    @pytest.mark.parametrize(
        "password",
        [
            "aaaaaaaaaaaa",  # one class
            "chainparty2026",  # two classes
            "Short-1a",  # too short
            "ALLCAPS-AND-SYMBOLS",  # two classes
        ],
    )
    def test_weak_passwords_are_refused(self, password):
        with pytest.raises(ValidationError):
            validate_password(password, user=f.UserFactory.build(username="zhangsan"))

    def test_a_password_containing_the_username_is_refused(self):
        with pytest.raises(ValidationError) as caught:
            validate_password("My-Zhangsan-Pass-9", user=f.UserFactory.build(username="zhangsan"))
        assert any("用户名" in message for message in caught.value.messages)

    @pytest.mark.parametrize("password", ["Tea-Garden-Bridge-2026", "river7stone9Lamp", "MOUNTAIN+lake+road"])
    def test_ten_characters_of_three_classes_are_accepted(self, password):
        validate_password(password, user=f.UserFactory.build(username="zhangsan"))

    def test_none_of_the_last_five_passwords_may_come_back(self, world):
        user = world.handler_a
        passwords = [PASSWORD] + [f"Rotation-{n}-Secret" for n in range(5)]
        for new in passwords[1:]:
            user.set_password(new)
            user.save()
        for old in passwords[1:]:
            with pytest.raises(ValidationError):
                validate_password(old, user=user)
        validate_password(PASSWORD, user=user)  # the sixth back is allowed again


class TestChangePage:
    @pytest.mark.parametrize("who", ["contact_a", "leader_a", "security", "auditor", "outsider"])
    def test_every_user_changes_their_own_password(self, world, client, who):
        sign_in(client, who)
        page = client.get(CHANGE)
        assert page.status_code == 200
        assert "修改密码" in page.content.decode()

        response = change(client, PASSWORD, "Fresh-Password-2027")

        assert response.status_code == 302
        user = User.objects.get(username=who)
        assert user.check_password("Fresh-Password-2027")
        assert not user.must_change_password
        assert client.get(reverse("home")).status_code == 200  # still signed in

    def test_every_error_is_shown_at_once_and_nothing_changes(self, world, client):
        sign_in(client, "contact_a")
        response = change(client, "not-the-old-one", "aaaaaaaaaaaa")
        assert response.status_code == 200
        form = response.context["form"]
        assert "old_password" in form.errors
        assert "new_password2" in form.errors
        world.contact_a.refresh_from_db()
        assert world.contact_a.check_password(PASSWORD)

    def test_signed_out_visitors_are_sent_to_sign_in(self, client):
        assert client.get(CHANGE).status_code == 302

    def test_the_page_costs_a_fixed_number_of_queries(self, world, client, django_assert_max_num_queries):
        sign_in(client, "contact_a")
        with django_assert_max_num_queries(5):
            assert client.get(CHANGE).status_code == 200

    def test_a_change_revokes_the_api_token(self, world, client):
        Token.objects.create(user=world.handler_a)
        sign_in(client, "handler_a")
        change(client, PASSWORD, "Fresh-Password-2027")
        assert not Token.objects.filter(user=world.handler_a).exists()


class TestForcedChange:
    def test_an_account_an_administrator_created_changes_its_password_at_first_sign_in(self, world, client):
        world.security.is_staff = True
        world.security.save(update_fields=["is_staff"])
        client.force_login(world.security)
        client.post(
            "/admin/accounts/user/add/",
            {
                "username": "newcomer",
                "usable_password": "true",
                "password1": "Issued-By-Admin-55",
                "password2": "Issued-By-Admin-55",
                "full_name": "新人",
                "unit": world.dept_a.pk,
                "enterprise": "",
            },
        )
        client.logout()
        assert User.objects.get(username="newcomer").must_change_password

        assert sign_in(client, "newcomer", "Issued-By-Admin-55").status_code == 302
        home = client.get(reverse("home"))
        assert home.status_code == 302
        assert home["Location"] == CHANGE
        assert client.get("/chains/").status_code == 302
        assert client.get("/api/v1/units/").status_code == 403
        assert "管理员" in client.get(CHANGE).content.decode()

        assert change(client, "Issued-By-Admin-55", "My-Own-Secret-2027").status_code == 302
        assert client.get(reverse("home")).status_code == 200

    def test_a_token_of_a_user_who_must_change_is_refused(self, world, api):
        User.objects.filter(pk=world.handler_a.pk).update(must_change_password=True)
        token = Token.objects.create(user=world.handler_a)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        assert api.get("/api/v1/units/").status_code == 401


class TestExpiry:
    def test_an_expired_password_must_be_changed(self, world, client):
        sign_in(client, "leader_a")
        assert client.get(reverse("home")).status_code == 200
        later = timezone.now() + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS, hours=1)
        with time_machine.travel(later, tick=False):
            client.force_login(world.leader_a)
            response = client.get(reverse("home"))
            assert response.status_code == 302
            assert response["Location"] == CHANGE
            assert "天" in client.get(CHANGE).content.decode()
            assert change(client, PASSWORD, "Renewed-Secret-2027").status_code == 302
            assert client.get(reverse("home")).status_code == 200

    def test_a_password_younger_than_the_limit_is_fine(self, world, client):
        later = timezone.now() + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS - 1)
        with time_machine.travel(later, tick=False):
            client.force_login(world.leader_a)
            assert client.get(reverse("home")).status_code == 200
