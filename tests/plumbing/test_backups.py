"""The backup and the restore drill on the real PostgreSQL: a nightly dump with its checksum, and a
restore into a scratch database that has every migration, the audit trail's triggers and the rows."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AuditEvent, AuditKind
from chainparty import backups
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_dump_restores_with_its_migrations_triggers_and_rows(tmp_path):
    f.EnterpriseFactory.create_batch(3)
    AuditEvent.objects.create(kind=AuditKind.SIGN_IN, actor_name="drill")

    dump = backups.dump(folder=tmp_path, keep_days=30)
    report = backups.restore_drill(dump_file=dump)

    assert dump.name.startswith("chainparty-")
    assert (tmp_path / f"{dump.name}.sha256").exists()
    assert report["ok"], report
    assert report["missing_migrations"] == []
    assert report["audit_triggers"] == ["accounts_auditevent_append_only"]
    assert report["counts"]["chains_enterprise"] == 3
    assert report["counts"]["accounts_auditevent"] == AuditEvent.objects.count()


def test_a_damaged_dump_fails_the_drill(tmp_path):
    dump = backups.dump(folder=tmp_path, keep_days=30)
    with dump.open("ab") as stream:
        stream.write(b"x")
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore_drill", "--folder", str(tmp_path))
