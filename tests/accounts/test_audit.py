"""The audit trail: each event once, with its actor and the client's address, through the real login,
admin and API; append-only in the database; the audit administrator's Chinese list, filters and
export; the purge that leaves an entry."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import AuditEvent, AuditKind, User
from accounts.services import purge_audit_trail
from chainparty import jobs
from chainparty.models import Job, JobKind
from tests import factories as f
from tests.accounts.trail import events, mark, only

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-42"
LOGIN = "/accounts/login/"


def sign_in(client, username, password=PASSWORD, ip="10.1.2.3", **headers):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers)


@pytest.fixture(autouse=True)
def _after_the_cast(world):
    """What the cast's creation recorded is not what a test looks at."""
    mark()


def staff_client(client, user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    return user


class TestSignIn:
    def test_sign_in_and_out_are_recorded_once_with_the_address(self, world, client):
        assert sign_in(client, "leader_a").status_code == 302
        client.post(reverse("accounts:logout"), REMOTE_ADDR="10.1.2.3")

        signed_in, signed_out = only(AuditKind.SIGN_IN), only(AuditKind.SIGN_OUT)
        for event in (signed_in, signed_out):
            assert event.actor == world.leader_a
            assert event.actor_name == "leader_a"
            assert event.ip_address == "10.1.2.3"

    def test_a_failed_sign_in_names_the_username_tried(self, world, client):
        sign_in(client, "leader_a", "wrong-password", ip="10.9.9.9")

        failed = only(AuditKind.SIGN_IN_FAILED)
        assert failed.actor is None
        assert failed.actor_name == "leader_a"
        assert failed.ip_address == "10.9.9.9"
        assert not events(AuditKind.SIGN_IN)

    def test_a_lockout_is_recorded_once_and_its_lifting_too(self, world, client):
        for _ in range(settings.AXES_FAILURE_LIMIT + 2):
            sign_in(client, "handler_a", "wrong-password", ip="10.7.7.7")

        locked = only(AuditKind.LOCKED_OUT)
        assert (locked.actor_name, locked.ip_address) == ("handler_a", "10.7.7.7")
        assert len(events(AuditKind.SIGN_IN_FAILED)) == settings.AXES_FAILURE_LIMIT + 2

        from axes.models import AccessAttempt

        attempt = AccessAttempt.objects.get(username="handler_a")
        security = staff_client(client, world.security)
        url = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
        response = client.post(url, {"post": "yes"}, REMOTE_ADDR="10.0.0.9")
        assert response.status_code == 302
        unlocked = only(AuditKind.UNLOCKED)
        assert unlocked.actor == security
        assert unlocked.ip_address == "10.0.0.9"
        assert unlocked.target == "handler_a"


class TestAccounts:
    def test_an_account_created_in_the_admin_records_creation_roles_and_the_admin_write(self, world, client):
        from accounts.services import ensure_role_groups

        groups = ensure_role_groups()
        security = staff_client(client, world.security)
        response = client.post(
            "/admin/accounts/user/add/",
            {
                "username": "newcomer",
                "usable_password": "true",
                "password1": "Quite-Long-Passphrase-19",
                "password2": "Quite-Long-Passphrase-19",
                "full_name": "新人",
                "unit": world.dept_a.pk,
                "enterprise": "",
                "groups": [groups["unit_handler"].pk],
            },
            REMOTE_ADDR="10.0.0.5",
        )
        assert response.status_code == 302
        newcomer = User.objects.get(username="newcomer")

        created = only(AuditKind.ACCOUNT_CREATED)
        assert (created.actor, created.target_id, created.ip_address) == (security, str(newcomer.pk), "10.0.0.5")
        roles = only(AuditKind.ROLES_CHANGED)
        assert roles.actor == security
        assert roles.detail == "+ 单位经办人"
        write = only(AuditKind.ADMIN_WRITE)
        assert write.actor == security
        assert "新人" in write.target

    def test_role_unit_and_deactivation_changes_are_each_recorded(self, world, client):
        from accounts.services import ensure_role_groups

        groups = ensure_role_groups()
        security = staff_client(client, world.security)
        Token.objects.create(user=world.handler_a)
        data = {
            "username": "handler_a",
            "full_name": world.handler_a.full_name,
            "phone": "",
            "email": "",
            "unit": world.dept_b.pk,
            "enterprise": "",
            "groups": [groups["unit_handler"].pk, groups["park_chief"].pk],
            "is_active": "",
        }
        response = client.post(f"/admin/accounts/user/{world.handler_a.pk}/change/", data)
        assert response.status_code == 302

        assert only(AuditKind.UNIT_CHANGED).actor == security
        assert only(AuditKind.ACCOUNT_DEACTIVATED).target_id == str(world.handler_a.pk)
        # set() removes nothing here and adds the park chief: one entry
        assert len(events(AuditKind.ROLES_CHANGED)) == 1
        assert only(AuditKind.TOKEN_REVOKED).target == "handler_a"
        assert not Token.objects.filter(user=world.handler_a).exists()
        assert only(AuditKind.ADMIN_WRITE).actor == security

    def test_a_password_reset_by_the_security_admin_is_recorded_and_revokes_tokens(self, world, client):
        security = staff_client(client, world.security)
        Token.objects.create(user=world.leader_a)
        response = client.post(
            f"/admin/accounts/user/{world.leader_a.pk}/password/",
            {"password1": "Brand-New-Secret-77", "password2": "Brand-New-Secret-77", "usable_password": "true"},
        )
        assert response.status_code == 302
        changed = only(AuditKind.PASSWORD_CHANGED)
        assert changed.actor == security
        assert changed.target_id == str(world.leader_a.pk)
        assert not Token.objects.filter(user=world.leader_a).exists()
        world.leader_a.refresh_from_db()
        assert world.leader_a.must_change_password  # its owner picks the next one

    def test_token_creation_in_the_admin_is_recorded(self, world, client):
        security = staff_client(client, world.security)
        response = client.post("/admin/authtoken/tokenproxy/add/", {"user": world.handler_b.pk})
        assert response.status_code == 302, response.content
        created = only(AuditKind.TOKEN_CREATED)
        assert created.actor == security
        assert created.target_id == str(world.handler_b.pk)

    def test_reading_a_phone_number_in_the_admin_is_recorded(self, world, client):
        User.objects.filter(pk=world.contact_a.pk).update(phone="13800000000")
        security = staff_client(client, world.security)
        assert client.get(f"/admin/accounts/user/{world.contact_a.pk}/change/").status_code == 200
        read = only(AuditKind.PERSONAL_DATA_READ)
        assert (read.actor, read.target_id) == (security, str(world.contact_a.pk))


class TestExports:
    @pytest.mark.parametrize(("at_once", "status"), [(2000, 200), (0, 302)])
    def test_an_export_is_recorded_at_once_or_as_a_job(self, world, client, monkeypatch, at_once, status):
        import tests.plumbing.registry  # noqa: F401 - registers "tests.units"
        from chainparty import jobs

        monkeypatch.setattr(jobs, "EXPORT_AT_ONCE_ROWS", at_once)
        client.force_login(world.staff)
        response = client.post(reverse("jobs:export", args=["tests.units"]), {"params": "kind=town_street"})
        assert response.status_code == status
        export = only(AuditKind.EXPORT)
        assert export.actor == world.staff
        assert export.detail == "kind=town_street"


class TestAppendOnly:
    def test_the_database_refuses_to_change_an_entry(self, world):
        entry = AuditEvent.objects.create(kind=AuditKind.SIGN_IN, actor_name="x")
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=entry.pk).update(actor_name="y")

    def test_the_database_refuses_to_delete_a_recent_entry(self, world):
        entry = AuditEvent.objects.create(kind=AuditKind.SIGN_IN, actor_name="x")
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM accounts_auditevent WHERE id = %s", [entry.pk])
        assert AuditEvent.objects.filter(pk=entry.pk).exists()

    @pytest.mark.parametrize("who", ["auditor", "security"])
    def test_nobody_edits_or_deletes_through_the_admin_superuser_included(self, world, client, who):
        entry = AuditEvent.objects.create(kind=AuditKind.SIGN_IN, actor_name="x")
        root = f.UserFactory(username="root", is_superuser=True, is_staff=True)
        for user in (getattr(world, who), root):
            staff_client(client, user)
            response = client.post(f"/admin/accounts/auditevent/{entry.pk}/delete/", {"post": "yes"})
            assert response.status_code == 403
            assert client.get("/admin/accounts/auditevent/add/").status_code == 403
        assert AuditEvent.objects.filter(pk=entry.pk, actor_name="x").exists()

    def test_the_purge_deletes_only_old_entries_and_leaves_an_entry(self, world):
        long_ago = timezone.now() - timedelta(days=200)
        old = AuditEvent.objects.create(kind=AuditKind.SIGN_IN, actor_name="old", at=long_ago)
        recent = AuditEvent.objects.create(kind=AuditKind.SIGN_IN, actor_name="recent")

        assert purge_audit_trail(keep_days=180) == 1

        assert not AuditEvent.objects.filter(pk=old.pk).exists()
        assert AuditEvent.objects.filter(pk=recent.pk).exists()
        assert "1" in only(AuditKind.AUDIT_PURGED).detail

    def test_the_purge_refuses_to_keep_less_than_180_days(self, world):
        from django.core.management import CommandError, call_command

        with pytest.raises(CommandError):
            call_command("purge_audit", "--days", "30")


class TestAuditorReads:
    def test_the_auditor_reads_the_trail_in_chinese_with_filters(self, world, client):
        sign_in(client, "leader_a", "wrong-password", ip="10.1.1.2")
        sign_in(client, "leader_a", ip="10.1.1.1")
        staff_client(client, world.auditor)

        page = client.get("/admin/accounts/auditevent/", {"kind__exact": AuditKind.SIGN_IN_FAILED})

        assert page.status_code == 200
        html = page.content.decode()
        assert "审计日志" in html
        assert "登录失败" in html
        assert "10.1.1.2" in html
        assert "10.1.1.1" not in html

    @pytest.mark.parametrize("who", ["security", "staff", "leader_a"])
    def test_nobody_else_reads_the_trail(self, world, client, who):
        staff_client(client, getattr(world, who))
        assert client.get("/admin/accounts/auditevent/").status_code == 403

    def test_the_list_costs_the_same_queries_for_more_entries(self, world, client, django_assert_max_num_queries):
        staff_client(client, world.auditor)
        AuditEvent.objects.bulk_create(AuditEvent(kind=AuditKind.SIGN_IN, actor_name=f"u{n}") for n in range(5))
        client.get("/admin/accounts/auditevent/")
        with django_assert_max_num_queries(8) as small:
            client.get("/admin/accounts/auditevent/")
        AuditEvent.objects.bulk_create(AuditEvent(kind=AuditKind.SIGN_IN, actor_name=f"v{n}") for n in range(50))
        with django_assert_max_num_queries(len(small)):
            assert client.get("/admin/accounts/auditevent/").status_code == 200

    def test_the_auditor_exports_the_filtered_trail(self, world, client, monkeypatch):
        monkeypatch.setattr(jobs, "EXPORT_AT_ONCE_ROWS", 0)  # through the job (a small one downloads at once)
        sign_in(client, "leader_a", "wrong-password", ip="10.1.1.2")
        sign_in(client, "leader_b", ip="10.1.1.3")
        staff_client(client, world.auditor)

        export = reverse("jobs:export", args=["accounts.audit"])
        response = client.post(export, {"params": "kind__exact=sign_in_failed"})

        assert response.status_code == 302
        job = Job.objects.get(owner=world.auditor, kind=JobKind.EXPORT)
        assert jobs.run_job(job.pk)
        job.refresh_from_db()
        assert job.summary["rows"] == 1
        from openpyxl import load_workbook

        sheet = load_workbook(job.result.open("rb")).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("时间", "事件", "操作人")
        assert rows[1][1:4] == ("登录失败", "leader_a", "10.1.1.2")
        assert client.get(reverse("jobs:job-detail", args=[job.pk])).status_code == 200
        assert client.get(reverse("jobs:job-download", args=[job.pk])).status_code == 200

    @pytest.mark.parametrize("who", ["security", "staff"])
    def test_nobody_else_exports_the_trail(self, world, client, who):
        client.force_login(getattr(world, who))
        assert client.post(reverse("jobs:export", args=["accounts.audit"])).status_code in (403, 404)
        assert not Job.objects.exists()
