"""Signing in: the Chinese login page, its errors, django-axes' lockout on (username, IP), password rules.

django-axes' backend refuses `client.login()` (it needs a request), so these tests post to the login URL.
"""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories as f

PASSWORD = "Correct-Horse-42"  # the factories' password


@pytest.fixture
def login_url():
    return reverse("accounts:login")


def sign_in(client, url, username, password, ip="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
class TestLoginPage:
    def test_login_page_is_in_chinese(self, client, login_url):
        response = client.get(login_url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "登录" in html
        assert "链长制党建工作平台" in html
        assert 'lang="zh-hans"' in html

    def test_correct_password_signs_in_and_goes_home(self, client, login_url, world):
        response = sign_in(client, login_url, "staff", PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == reverse("home")
        home = client.get(reverse("home"))
        assert home.status_code == 200
        assert home.context["user"] == world.staff

    def test_wrong_password_shows_the_error(self, client, login_url, world):
        response = sign_in(client, login_url, "staff", "not-the-password")
        assert response.status_code == 200
        html = response.content.decode()
        assert "用户名或密码错误" in html
        assert f"连续失败 {settings.AXES_FAILURE_LIMIT} 次" in html
        assert not response.wsgi_request.user.is_authenticated

    def test_logout_is_a_post_and_returns_to_login(self, client, login_url, world):
        sign_in(client, login_url, "staff", PASSWORD)
        response = client.post(reverse("accounts:logout"))
        assert response.status_code == 302
        assert response["Location"] == login_url
        assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
class TestLockout:
    def fail_until_locked(self, client, url, username, ip):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, url, username, "not-the-password", ip=ip)

    def test_after_the_failure_limit_even_the_right_password_is_refused(self, client, login_url, world):
        self.fail_until_locked(client, login_url, "staff", ip="10.0.0.1")
        response = sign_in(client, login_url, "staff", PASSWORD, ip="10.0.0.1")
        assert response.status_code == 429
        html = response.content.decode()
        assert "账号已锁定" in html
        assert "安全管理员" in html
        minutes = round(settings.AXES_COOLOFF_TIME * 60)
        assert f"锁定 {minutes} 分钟" in html
        assert client.get(reverse("home")).status_code == 302  # not signed in

    def test_the_same_username_from_another_address_still_signs_in(self, client, login_url, world):
        self.fail_until_locked(client, login_url, "staff", ip="10.0.0.1")
        response = sign_in(client, login_url, "staff", PASSWORD, ip="10.0.0.2")
        assert response.status_code == 302
        assert response["Location"] == reverse("home")

    def test_another_username_from_the_locked_address_still_signs_in(self, client, login_url, world):
        # One office shares one NAT address: a colleague's failures must not lock everybody out.
        self.fail_until_locked(client, login_url, "staff", ip="10.0.0.1")
        response = sign_in(client, login_url, "leader_a", PASSWORD, ip="10.0.0.1")
        assert response.status_code == 302

    def test_fewer_failures_than_the_limit_do_not_lock(self, client, login_url, world):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in(client, login_url, "staff", "not-the-password")
        assert sign_in(client, login_url, "staff", PASSWORD).status_code == 302


@pytest.mark.django_db
class TestPasswordRules:
    @pytest.mark.parametrize("password", ["short1A!", "password123", "1234567890123"])
    def test_short_common_or_numeric_passwords_are_rejected(self, password):
        with pytest.raises(ValidationError):
            validate_password(password, user=f.UserFactory.build(username="zhangsan"))

    def test_a_password_like_the_username_is_rejected(self):
        user = f.UserFactory.build(username="zhangsan-chainparty", email="zhangsan@example.cn")
        with pytest.raises(ValidationError):
            validate_password("zhangsan-chainparty", user=user)

    def test_a_long_uncommon_password_is_accepted(self):
        validate_password("Tea-Garden-Bridge-2026", user=f.UserFactory.build(username="zhangsan"))
