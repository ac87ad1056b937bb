"""Background jobs, the one way: an Excel import or export runs in Celery and its page shows a
progress bar (templates/jobs/job_detail.html polls `job-status`).

An app registers what it offers, from its AppConfig.ready():

- `register_importer(Importer(...))`: columns (chainparty.spreadsheets), `check(sheet, actor)` that
  adds the domain's errors to the sheet (unknown credit code, unknown superior — looked up in bulk;
  it sees every row, those with cell errors too, whose refused cells are None),
  and `write(rows, actor)` that writes every row and returns counts for the summary.
- `register_exporter(Exporter(...))`: columns and `source(actor, params)` giving the row count and
  the rows, filtered by what the actor may see (params: the list page's query string).

An import is two jobs: a check (read, parse, check; nothing written) whose page lists every error
of every row at once, and — once the file is clean and the user confirms — the import itself, which
reads and checks again (the data may have moved) and writes everything in one transaction, or
nothing. Exactly once: a worker claims a job with a conditional UPDATE; the import's writes and the
job's "finished" commit together, under a lock on the job row and only for the latest attempt; a
killed worker's job is claimed again by the requeue sweep once its heartbeat is stale.
"""

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.models import AuditKind, User
from chainparty.celery import enqueue
from chainparty.models import Job, JobKind, JobPhase, JobStatus
from chainparty.spreadsheets import MAX_UPLOAD_BYTES, Column, Sheet, read_workbook, write_workbook

log = logging.getLogger(__name__)

RUN_JOB_TASK = "chainparty.tasks.run_job_task"
# A running job whose heartbeat is older than this is presumed dead (its worker was killed) and is
# claimed again. Longer than the longest write transaction, during which no heartbeat is written.
STALE_AFTER = timedelta(minutes=10)
# A pending job not picked up within this is enqueued again (the broker was down, or lost it).
REQUEUE_AFTER = timedelta(seconds=30)
KEEP_FOR = timedelta(days=7)  # finished jobs and their files are deleted after this
MAX_STORED_ERRORS = 2000
# An export of this many rows or fewer is written during the request and downloaded at once (about a
# second at most); a longer one runs as a job whose page shows a progress bar.
EXPORT_AT_ONCE_ROWS = 2000
HEARTBEAT_SECONDS = 0.5


def _district_staff(user: User) -> bool:
    return user.is_district_staff


def business_roles(user: User) -> bool:
    """`allowed=` for a list any business role may export (in its own scope)."""
    return user.has_business_role


@dataclass(frozen=True)
class Importer:
    name: str
    title: str | Promise
    columns: Sequence[Column]
    check: Callable[[Sheet, User], None]
    write: Callable[[list[dict], User], dict[str, int]]
    allowed: Callable[[User], bool] = _district_staff
    examples: Sequence[Sequence[Any]] = ()
    help: str | Promise = ""


@dataclass(frozen=True)
class Exporter:
    name: str
    title: str | Promise
    columns: Sequence[Column]
    source: Callable[[User, QueryDict], tuple[int, Iterable[Sequence[Any]]]]
    allowed: Callable[[User], bool] = _district_staff


IMPORTERS: dict[str, Importer] = {}
EXPORTERS: dict[str, Exporter] = {}


def register_importer(importer: Importer) -> Importer:
    IMPORTERS[importer.name] = importer
    return importer


def register_exporter(exporter: Exporter) -> Exporter:
    EXPORTERS[exporter.name] = exporter
    return exporter


def importer_for(name: str, user: User) -> Importer:
    """The importer `user` may use; an unknown name is a LookupError (the page: 404), a known one
    the user may not use a PermissionDenied (403)."""
    importer = IMPORTERS[name]
    if not (user.is_superuser or importer.allowed(user)):
        raise PermissionDenied(gettext("You may not import this list."))
    return importer


def exporter_for(name: str, user: User) -> Exporter:
    exporter = EXPORTERS[name]
    if not (user.is_superuser or exporter.allowed(user)):
        raise PermissionDenied(gettext("You may not export this list."))
    return exporter


# --- starting jobs ---------------------------------------------------------------------------------
def start_import(*, actor: User, name: str, file: UploadedFile | None) -> Job:
    """Stage the uploaded file and have it checked (nothing is written by the check)."""
    importer_for(name, actor)
    if file is None:
        raise ValidationError({"file": _("Choose an .xlsx file to upload.")})
    filename = file.name or ""
    if PurePath(filename).suffix.lower() != ".xlsx":
        raise ValidationError({"file": _("Only Excel workbooks (.xlsx) can be imported.")})
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than %(limit)d MB.") % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}}
        )
    with transaction.atomic():
        job = Job(owner=actor, kind=JobKind.IMPORT, name=name, dry_run=True, upload_name=filename[:200])
        job.upload.save(f"{name}.xlsx", file, save=False)
        job.save()
        _enqueue_on_commit(job)
    return job


def confirm_import(*, actor: User, job_id: int) -> Job:
    """Import a file whose check came out clean. Confirming twice imports once (the second answer
    is the first import's job)."""
    check = Job.objects.visible_to(actor).filter(pk=job_id, kind=JobKind.IMPORT, dry_run=True).first()
    if check is None:
        raise ValidationError({"job": _("No such checked file.")})
    importer_for(check.name, actor)
    if check.status != JobStatus.DONE or check.errors:
        raise ValidationError({"job": _("Only a file checked without errors can be imported.")})
    existing = Job.objects.filter(checked=check).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(
                owner=actor,
                kind=JobKind.IMPORT,
                name=check.name,
                checked=check,
                upload=check.upload.name,
                upload_name=check.upload_name,
            )
            _enqueue_on_commit(job)
    except IntegrityError:  # the same confirmation, twice at once: the other one won
        return Job.objects.get(checked=check)
    return job


@dataclass(frozen=True)
class Download:
    content: bytes
    filename: str


def export_list(*, actor: User, name: str, params: str = "") -> Download | Job:
    """Export a list as the user filtered it: a small one at once (the workbook), a large one as a
    job (EXPORT_AT_ONCE_ROWS). Either way the export is audited."""
    exporter = exporter_for(name, actor)
    total, rows = exporter.source(actor, QueryDict(params))
    if total > EXPORT_AT_ONCE_ROWS:
        return start_export(actor=actor, name=name, params=params)
    content = write_workbook(exporter.columns, rows, title=exporter.title)
    audit.record(AuditKind.EXPORT, actor=actor, target_repr=str(exporter.title), detail=params[:500])
    return Download(content, _export_filename(exporter))


def _export_filename(exporter: Exporter) -> str:
    return f"{exporter.title}-{timezone.localtime().strftime('%Y%m%d-%H%M')}.xlsx"


def start_export(*, actor: User, name: str, params: str = "") -> Job:
    exporter = exporter_for(name, actor)
    with transaction.atomic():
        job = Job.objects.create(owner=actor, kind=JobKind.EXPORT, name=name, params=params[:2000])
        audit.record(AuditKind.EXPORT, actor=actor, target=job, target_repr=str(exporter.title), detail=params[:500])
        _enqueue_on_commit(job)
    return job


def _enqueue_on_commit(job: Job) -> None:
    # If the broker is down the job waits, pending, for the requeue sweep (or `manage.py run_jobs`).
    transaction.on_commit(lambda: enqueue(RUN_JOB_TASK, job.pk))


# --- running them ----------------------------------------------------------------------------------
def _takeable(now) -> Q:
    """A job a worker may take: waiting, or running with a worker gone quiet."""
    return Q(status=JobStatus.PENDING) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)


def claim_job(job_id: int) -> int | None:
    """Take the job for this worker: a pending one, or a running one whose worker has gone quiet.
    Returns this attempt's number, or None when another worker has it or it is finished."""
    now = timezone.now()
    claimed = Job.objects.filter(_takeable(now), pk=job_id).update(
        status=JobStatus.RUNNING, attempt=F("attempt") + 1, started_at=now, heartbeat_at=now, done=0
    )
    if claimed != 1:
        return None
    return Job.objects.values_list("attempt", flat=True).get(pk=job_id)


def run_job(job_id: int) -> bool:
    """Run one job if it can be claimed; True when this call ran it. Never raises for the job's own
    failure: the job ends `failed` with the reason on its page."""
    attempt = claim_job(job_id)
    if attempt is None:
        return False
    job = Job.objects.select_related("owner").get(pk=job_id)
    runner = _Run(job, attempt)
    try:
        if job.kind == JobKind.EXPORT:
            runner.export()
        else:
            runner.import_()
    except _Superseded:
        log.info("job %s: attempt %s superseded by a later one", job_id, attempt)
    except Exception as exc:  # noqa: BLE001 - whatever went wrong, the page must say so
        log.exception("job %s failed", job_id)
        known = isinstance(exc, PermissionDenied | LookupError)
        message = str(exc) if known else gettext("An unexpected error stopped the job.")
        runner.finish(status=JobStatus.FAILED, message=message)
    return True


class _Superseded(Exception):
    """A later attempt holds the job: this one stops without writing."""


class _Run:
    def __init__(self, job: Job, attempt: int):
        self.job, self.attempt = job, attempt
        self._last_beat = 0.0

    def progress(self, done: int, total: int | None = None, *, phase: str | None = None, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_beat < HEARTBEAT_SECONDS:
            return
        self._last_beat = now
        fields: dict[str, Any] = {"done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            fields["total"] = total
        if phase is not None:
            fields["phase"] = phase
        if Job.objects.filter(pk=self.job.pk, attempt=self.attempt).update(**fields) != 1:
            raise _Superseded

    def finish(self, **fields: Any) -> None:
        """Mark the job finished, if this attempt still holds it (called inside the import's write
        transaction, this is what makes the writes and the mark commit together)."""
        fields.setdefault("finished_at", timezone.now())
        fields.setdefault("phase", "")
        claimed = Job.objects.filter(pk=self.job.pk, attempt=self.attempt, status=JobStatus.RUNNING).update(**fields)
        if claimed != 1:
            raise _Superseded

    def export(self) -> None:
        exporter = exporter_for(self.job.name, self.job.owner)
        total, rows = exporter.source(self.job.owner, QueryDict(self.job.params))
        self.progress(0, total, phase=JobPhase.WRITING, force=True)
        content = write_workbook(
            exporter.columns, rows, title=exporter.title, progress=lambda done: self.progress(done, total), every=200
        )
        filename = _export_filename(exporter)
        self.job.result.save(filename, ContentFile(content), save=False)
        self.finish(
            status=JobStatus.DONE,
            result=self.job.result.name,
            done=total,
            summary={"rows": total, "filename": filename},
        )

    def import_(self) -> None:
        importer = importer_for(self.job.name, self.job.owner)
        self.progress(0, phase=JobPhase.READING, force=True)
        with self.job.upload.open("rb") as file:
            sheet = read_workbook(file, importer.columns, progress=lambda done, total: self.progress(done, total))
        rows = len(sheet.rows)
        if sheet.rows:  # the domain's checks see every row, so the page lists all errors at once
            self.progress(rows, rows, phase=JobPhase.CHECKING, force=True)
            importer.check(sheet, self.job.owner)
        if sheet.errors or self.job.dry_run:
            self._finish_with(sheet, rows)
            return
        self.progress(rows, rows, phase=JobPhase.WRITING, force=True)
        try:
            with transaction.atomic():
                # The row lock orders two attempts that both got here: the second waits, then finds
                # the job finished (or superseded) and rolls its writes back.
                Job.objects.select_for_update().filter(pk=self.job.pk).first()
                counts = importer.write(sheet.rows, self.job.owner)
                self.finish(status=JobStatus.DONE, done=rows, summary={"rows": rows, **counts})
        except ValidationError as exc:  # a rule the check could not see; nothing was written
            for field, messages in exc.message_dict.items():
                for message in messages:
                    sheet.error(0, "" if field == "__all__" else field, message)
            self._finish_with(sheet, rows)

    def _finish_with(self, sheet: Sheet, rows: int) -> None:
        errors = [error.as_dict() for error in sheet.errors[:MAX_STORED_ERRORS]]
        summary = {"rows": rows, "errors": len(sheet.errors)}
        self.finish(status=JobStatus.DONE, done=rows, total=rows, errors=errors, summary=summary)


# --- the sweep ---------------------------------------------------------------------------------
def requeue_jobs(*, now=None) -> dict[str, int]:
    """Hand the broker again what it may have lost (pending for a while, or running with a silent
    worker), and delete jobs finished long ago with their files. Safe to run any number of times:
    a job is claimed once however often it is enqueued."""
    now = now or timezone.now()
    waiting = Q(status=JobStatus.PENDING, created_at__lt=now - REQUEUE_AFTER)
    silent = Q(status=JobStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    ids = list(Job.objects.filter(waiting | silent).values_list("pk", flat=True))
    for pk in ids:
        enqueue(RUN_JOB_TASK, pk)
    old = list(Job.objects.filter(finished_at__lt=now - KEEP_FOR))
    in_use = set(Job.objects.exclude(pk__in=[job.pk for job in old]).values_list("upload", flat=True))
    for job in old:
        if job.upload and job.upload.name not in in_use:
            job.upload.delete(save=False)
        if job.result:
            job.result.delete(save=False)
    deleted = Job.objects.filter(pk__in=[job.pk for job in old]).delete()[0] if old else 0
    return {"requeued": len(ids), "deleted": deleted}


def run_pending_jobs() -> int:
    """Run every job that waits, here and now (`manage.py run_jobs`: no broker needed)."""
    ran = 0
    for pk in Job.objects.filter(_takeable(timezone.now())).order_by("pk").values_list("pk", flat=True):
        ran += run_job(pk)
    return ran
