"""The pages people meet when something is wrong: 403, 404, 500 and an expired form, in the portal's
look and in Chinese (the API keeps its JSON); and the icon a browser asks for on its own."""

import json

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from chainparty import views

pytestmark = pytest.mark.django_db


def in_the_portal(html: str) -> None:
    assert '<header class="site-header">' in html
    assert "链长制党建工作平台" in html
    assert 'rel="icon"' in html


def test_a_page_the_role_may_not_open_is_a_chinese_403_in_the_portal(client, world):
    client.force_login(world.contact_a)
    response = client.get(reverse("issues:session-list"))
    assert response.status_code == 403
    html = response.content.decode()
    in_the_portal(html)
    assert "无权访问" in html
    assert "返回首页" in html


def test_a_missing_page_is_a_chinese_404_in_the_portal(client, world):
    client.force_login(world.staff)
    response = client.get("/chains/enterprises/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    in_the_portal(html)
    assert "页面不存在" in html


def test_a_crash_is_a_chinese_500_in_the_portal(world):
    request = RequestFactory().get("/chains/")
    with translation.override("zh-hans"):
        response = views.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    in_the_portal(html)
    assert "服务器错误" in html


def test_a_crash_under_the_api_stays_json(world):
    with translation.override("zh-hans"):
        response = views.server_error(RequestFactory().get("/api/v1/chains/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["code"] == "server_error"


def test_an_expired_form_says_so_in_chinese_instead_of_djangos_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    html = response.content.decode()
    in_the_portal(html)
    assert "表单已过期" in html
    assert "CSRF" not in html


def test_an_expired_form_under_the_api_is_json(world):
    with translation.override("zh-hans"):
        response = views.csrf_failure(RequestFactory().post("/api/v1/issues/"), reason="CSRF cookie not set.")
    assert response.status_code == 403
    assert json.loads(response.content)["code"] == "csrf_failed"


def test_the_favicon_is_served_at_the_root_for_everyone(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age=86400" in response["Cache-Control"]


def test_the_sign_in_page_names_the_icon(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'rel="icon"' in html
    assert "favicon.svg" in html
