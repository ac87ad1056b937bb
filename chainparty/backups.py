"""Database backups and the restore drill (MLPS 2.0 level 3, data backup and recovery), for
PostgreSQL: PostgreSQL and the media folder hold all the portal's state (design §8).

- `dump(folder=, keep_days=)` (`manage.py backup_database`): `pg_dump --format=custom` of the
  configured database into `folder`, written under a temporary name and renamed when complete (a
  half-written dump never looks like a backup), a `.sha256` beside it, and dumps older than
  `keep_days` deleted. The operator's cron runs it nightly (docs/security.md).
- `restore_drill(dump=)` (`manage.py restore_drill`): restores a dump into a scratch database on the
  same server and checks what a real restore needs: the checksum, every migration of this release
  applied, the audit trail's append-only triggers in place, and the row counts of the main tables;
  then drops the scratch database. Run it monthly, and after each upgrade.
"""

import hashlib
import os
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import psycopg2
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

# Counted after a restore: the trail, the people and the business data they would miss first.
COUNTED_TABLES = (
    "accounts_auditevent",
    "accounts_user",
    "chains_enterprise",
    "issues_issue",
    "issues_issueevent",
    "partyorgs_partyorganization",
    "secretaries_posting",
)
AUDIT_TRIGGERS = {"accounts_auditevent_append_only"}  # accounts/migrations/0003


class BackupError(Exception):
    pass


def _database() -> dict:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("backups are for PostgreSQL; the embedded SQLite file is copied while the portal is stopped")
    return db


def _env(db: dict) -> dict[str, str]:
    env = {**os.environ, "PGHOST": str(db.get("HOST") or ""), "PGPORT": str(db.get("PORT") or "5432")}
    env["PGUSER"] = str(db.get("USER") or "")
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run(args: list[str], db: dict) -> None:
    result = subprocess.run(args, env=_env(db), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dump(*, folder: Path, keep_days: int) -> Path:
    db = _database()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"chainparty-{timezone.now():%Y%m%dT%H%M%SZ}.dump"
    partial = target.with_suffix(".partial")
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", db["NAME"]], db)
    partial.rename(target)
    Path(f"{target}.sha256").write_text(f"{_sha256(target)}  {target.name}\n", encoding="utf-8")
    cutoff = time.time() - timedelta(days=keep_days).total_seconds()
    for old in folder.glob("chainparty-*.dump*"):
        if old.stat().st_mtime < cutoff:
            old.unlink()
    return target


def latest(folder: Path) -> Path:
    dumps = sorted(folder.glob("chainparty-*.dump"))
    if not dumps:
        raise BackupError(f"no dump in {folder}")
    return dumps[-1]


def restore_drill(*, dump_file: Path, keep: bool = False) -> dict:
    """Restore `dump_file` into `<database>_restore_drill` and check it; the report."""
    db = _database()
    started = time.monotonic()
    checksum = Path(f"{dump_file}.sha256")
    if not checksum.exists() or checksum.read_text(encoding="utf-8").split()[0] != _sha256(dump_file):
        raise BackupError(f"{dump_file.name}: the checksum is missing or does not match")
    scratch = f"{db['NAME']}_restore_drill"
    with connection.cursor() as cursor:  # a database on the same server, made from template0
        cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        cursor.execute(f"CREATE DATABASE \"{scratch}\" TEMPLATE template0 ENCODING 'UTF8'")
    try:
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={scratch}", str(dump_file)],
            db,
        )
        report = _check(db, scratch)
    finally:
        if not keep:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
    report["seconds"] = round(time.monotonic() - started, 1)
    report["database"] = scratch
    return report


def _check(db: dict, scratch: str) -> dict:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    expected = set(loader.graph.nodes)
    restored = psycopg2.connect(
        dbname=scratch, host=db.get("HOST") or None, port=db.get("PORT") or None,
        user=db.get("USER") or None, password=db.get("PASSWORD") or None,
    )  # fmt: skip
    try:
        with restored.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'accounts_auditevent'::regclass AND NOT tgisinternal"
            )
            triggers = {name for (name,) in cursor.fetchall()}
            counts = {}
            for table in COUNTED_TABLES:
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our own table names
                counts[table] = cursor.fetchone()[0]
    finally:
        restored.close()
    return {
        "missing_migrations": sorted(f"{app}.{name}" for app, name in expected - applied),
        "audit_triggers": sorted(triggers & AUDIT_TRIGGERS),
        "counts": counts,
        "ok": expected <= applied and triggers >= AUDIT_TRIGGERS,
    }
