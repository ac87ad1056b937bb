"""The back office in Chinese, and the administrators' home leading to their work (三员分立: each
sees only the lists of their own role)."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.urls import reverse
from django.utils import translation

from tests.accounts.test_admin import _with_admin_access

pytestmark = pytest.mark.django_db

# A lowercase Latin letter is English left in the interface ("ID", "IP", "API" are fine).
ENGLISH = re.compile(r"[a-z]")
# django-celery-beat names these in plain English, not through gettext, so no catalogue can translate
# them; its pages are the break-glass superuser's alone.
UNTRANSLATABLE = {
    "django_celery_beat.periodictask.task",
    "django_celery_beat.periodictask.scheduler",
    "django_celery_beat.crontabschedule.human_readable",
}


def english_labels() -> list[str]:
    found = []
    with translation.override("zh-hans"):
        for model, model_admin in admin.site._registry.items():
            meta = model._meta
            names = {"app": meta.app_config.verbose_name, "": meta.verbose_name, "s": meta.verbose_name_plural}
            for field in meta.get_fields():
                if field.concrete and field.name != "id" and hasattr(field, "verbose_name"):
                    names[f".{field.name}"] = field.verbose_name
            for column in model_admin.list_display:
                if column != "__str__":
                    names[f".{column}"] = label_for_field(column, model, model_admin)
            for key, label in names.items():
                where = f"{meta.label_lower}{key}"
                if ENGLISH.search(str(label)) and where not in UNTRANSLATABLE:
                    found.append(f"{where}: {label}")
    return found


def test_every_model_field_and_column_of_the_admin_reads_in_chinese():
    assert english_labels() == []


def test_the_issue_title_in_the_admin_is_a_title_not_a_job(client, world):
    from issues.models import Issue, IssueCategory

    category = IssueCategory.objects.create(code="request", name="诉求", kind="request", resolve_days=10)
    issue = Issue.objects.create(
        enterprise=world.ent_a1,
        category=category,
        title="用地审批慢",
        description="超过三个月",
        submitted_by=world.contact_a,
    )
    client.force_login(_with_admin_access(world.staff))
    html = client.get(reverse("admin:issues_issue_change", args=[issue.pk])).content.decode()
    assert "<label>标题:</label>" in html  # its fields are read-only here
    assert "职务" not in html
    assert "链长制党建工作平台" in html  # the site header, not "Django 管理"


def test_the_security_administrators_home_leads_to_accounts_roles_and_lockouts(client, world):
    client.force_login(_with_admin_access(world.security))
    html = client.get(reverse("home")).content.decode()
    for name in ("accounts_user", "auth_group", "axes_accessattempt", "authtoken_tokenproxy"):
        assert reverse(f"admin:{name}_changelist") in html
    assert "三员分立" in html or "三员" in html


def test_the_security_administrator_is_not_led_to_the_audit_trail(client, world):
    client.force_login(_with_admin_access(world.security))
    html = client.get(reverse("home")).content.decode()
    assert reverse("admin:accounts_auditevent_changelist") not in html


def test_the_audit_administrators_home_leads_to_the_trail_and_sign_in_logs_not_accounts(client, world):
    client.force_login(_with_admin_access(world.auditor))
    html = client.get(reverse("home")).content.decode()
    assert reverse("admin:accounts_auditevent_changelist") in html
    assert reverse("admin:axes_accesslog_changelist") in html
    assert reverse("admin:accounts_user_changelist") not in html


def test_an_administrator_without_back_office_access_is_told_whom_to_ask(client, world):
    client.force_login(world.auditor)  # is_staff not granted
    response = client.get(reverse("home"))
    assert response.context["admin_work"] == []
    assert "安全管理员" in response.content.decode()


def test_a_business_users_home_lists_no_back_office_work(client, world):
    client.force_login(_with_admin_access(world.staff))
    response = client.get(reverse("home"))
    assert response.context["admin_work"] == []
    assert reverse("admin:chains_chain_changelist") not in response.content.decode()


def test_the_administrators_home_costs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(_with_admin_access(world.security))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("home")).status_code == 200
