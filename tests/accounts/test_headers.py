"""Headers and exposure: a CSP with no inline script or style anywhere, HSTS and the proxy's TLS
header, the API schema and docs for signed-in users only, business reference data closed to the
administrators, and `check --deploy` clean with production settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from issues.models import IssueCategory

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
PASSWORD = "Correct-Horse-42"


def _templates_and_scripts():
    """Our templates and scripts; not static/vendor/, the libraries make copies from npm (they set
    styles through the DOM, which the CSP allows, and their source text is not ours to police)."""
    vendor = ROOT / "static" / "vendor"
    for folder in ("templates", "static"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in {".html", ".js"} and vendor not in path.parents:
                yield path


@pytest.mark.parametrize("path", list(_templates_and_scripts()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_style_or_handlers(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert not re.search(r"<style\b", text), "inline <style>"
    assert not re.search(r"""\sstyle\s*=\s*["']""", text), "style= attribute"
    assert not re.search(r"""\son[a-z]+\s*=\s*["']""", text), "on…= handler"


def test_pages_carry_a_strict_content_security_policy(world, client):
    client.force_login(world.staff)
    for url in ("/", "/chains/", "/accounts/password/", "/admin/", "/api/docs/"):
        policy = client.get(url).get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy, url
        assert "style-src 'self'" in policy, url
        assert "frame-ancestors 'none'" in policy, url
        assert "unsafe-inline" not in policy, url


def test_https_answers_carry_hsts(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_proxy_header_marks_a_request_secure(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    plain = client.get("/accounts/login/")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert client.get("/health/").status_code == 200  # the load balancer's probe stays plain


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/", "/api/docs/?script="])
def test_the_schema_and_docs_are_closed_to_anonymous_callers(client, url):
    assert client.get(url).status_code == 401


@pytest.mark.parametrize("who", ["security", "auditor", "outsider"])
def test_business_reference_data_is_closed_to_users_without_a_business_role(world, api, who):
    IssueCategory.objects.create(code="site", name="项目落地", kind="request", resolve_days=20)
    api.force_authenticate(getattr(world, who))
    response = api.get("/api/v1/issue-categories/")
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert api.get("/api/v1/issue-categories/site/").status_code == 404
    api.force_authenticate(world.contact_a)
    assert api.get("/api/v1/issue-categories/").json()["count"] == 1


def _production(args=("check", "--deploy", "--fail-level", "WARNING"), **extra) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "0",
        "SECRET_KEY": "a-production-like-secret-key-of-sufficient-length-and-entropy-0123456789",
        "ALLOWED_HOSTS": "portal.example.gov.cn",
        "DATABASE_URL": settings.DATABASE_URL,
        "DJANGO_SETTINGS_MODULE": "chainparty.settings",
        **extra,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _production()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("name", "value"),
    [("SECURE_PROXY_SSL_HEADER", "https"), ("AXES_PROXY_COUNT", "-1"), ("AUDIT_KEEP_DAYS", "30")],
)
def test_a_malformed_security_setting_stops_the_start(name, value):
    result = _production(**{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_the_environment_sets_the_proxy_count_and_tls_header():
    code = (
        "from django.conf import settings as s;"
        "print(s.AXES_IPWARE_PROXY_COUNT, s.AXES_IPWARE_META_PRECEDENCE_ORDER[0], s.SECURE_PROXY_SSL_HEADER,"
        " s.SESSION_IDLE_TIMEOUT, s.PASSWORD_MAX_AGE_DAYS)"
    )
    result = _production(
        AXES_PROXY_COUNT="2",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
        SESSION_IDLE_TIMEOUT="600",
        PASSWORD_MAX_AGE_DAYS="60",
        args=["shell", "-c", code],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1 HTTP_X_FORWARDED_FOR ('HTTP_X_FORWARDED_PROTO', 'https') 600 60"
