"""The job runner: an import checked then confirmed, exactly once, nothing half-written; exports."""

import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Unit
from chainparty import jobs
from chainparty.models import Job, JobStatus
from tests.plumbing.conftest import xlsx

HEADER = ["名称", "类别", "简称"]


def upload(*rows, name="单位.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx(HEADER, *rows).getvalue())


@pytest.fixture
def recorded(monkeypatch):
    """The job ids handed to the broker (the broker itself is tested in test_worker.py)."""
    ids = []
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args: ids.append(args[0]) or True)
    return ids


def checked(world, *rows) -> Job:
    job = jobs.start_import(actor=world.staff, name="tests.units", file=upload(*rows))
    assert jobs.run_job(job.pk)
    job.refresh_from_db()
    return job


def test_the_check_lists_every_error_and_writes_nothing(world, media, recorded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_import(
            actor=world.staff,
            name="tests.units",
            file=upload(["区委", "区委", ""], ["新单位", "不知道", ""], ["重复", "镇街", ""], ["重复", "镇街", ""]),
        )
    assert recorded == [job.pk]
    before = Unit.objects.count()
    assert jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "类别"), (2, "名称"), (4, "名称"), (5, "名称")]
    assert job.summary == {"rows": 4, "errors": 4}
    assert Unit.objects.count() == before
    with pytest.raises(ValidationError) as refused:
        jobs.confirm_import(actor=world.staff, job_id=job.pk)
    assert "job" in refused.value.message_dict


def test_a_clean_file_is_imported_once_after_confirmation(world, media, recorded):
    check = checked(world, ["新单位甲", "镇街", "甲"], ["新单位乙", "town_street", ""])
    assert check.errors == []
    assert check.summary == {"rows": 2, "errors": 0}
    assert not Unit.objects.filter(name__startswith="新单位").exists()  # the check wrote nothing

    job = jobs.confirm_import(actor=world.staff, job_id=check.pk)
    assert jobs.confirm_import(actor=world.staff, job_id=check.pk) == job  # pressed twice: one import
    assert jobs.run_job(job.pk)
    assert not jobs.run_job(job.pk)  # delivered twice: run once
    job.refresh_from_db()
    assert (job.status, job.summary, job.done, job.percent) == (JobStatus.DONE, {"rows": 2, "created": 2}, 2, 100)
    assert set(Unit.objects.filter(name__startswith="新单位").values_list("name", "short_name")) == {
        ("新单位甲", "甲"),
        ("新单位乙", ""),
    }


def test_the_import_checks_again_and_writes_nothing_when_the_data_moved(world, media, recorded):
    check = checked(world, ["新单位甲", "镇街", ""], ["新单位乙", "镇街", ""])
    Unit.objects.create(name="新单位乙", kind="town_street")  # someone else got there in between
    job = jobs.confirm_import(actor=world.staff, job_id=check.pk)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "名称")]
    assert not Unit.objects.filter(name="新单位甲").exists()


def test_a_write_refused_half_way_rolls_everything_back(world, media, recorded):
    check = checked(world, ["新单位甲", "镇街", ""], ["新单位乙", "镇街", "写入失败"])
    job = jobs.confirm_import(actor=world.staff, job_id=check.pk)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.errors == [{"row": 0, "column": "short_name", "message": "写入时被拒绝"}]
    assert not Unit.objects.filter(name__startswith="新单位").exists()


def test_an_attempt_presumed_dead_that_wakes_up_writes_nothing(world, media, recorded):
    check = checked(world, ["新单位甲", "镇街", ""])
    job = jobs.confirm_import(actor=world.staff, job_id=check.pk)
    first = jobs.claim_job(job.pk)
    assert jobs.claim_job(job.pk) is None  # alive: nobody else takes it
    with time_machine.travel(timezone.now() + jobs.STALE_AFTER * 2):
        second = jobs.claim_job(job.pk)  # silent too long: taken again
        assert (first, second) == (1, 2)
        job.refresh_from_db()
        with pytest.raises(jobs._Superseded):
            jobs._Run(job, first).import_()
        assert not Unit.objects.filter(name="新单位甲").exists()
        jobs._Run(job, second).import_()
    assert Unit.objects.filter(name="新单位甲").count() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_bad_uploads_are_refused_naming_the_file_field(world, media):
    for file, words in (
        (None, "请选择"),
        (SimpleUploadedFile("名单.csv", b"a,b"), "只能导入"),
    ):
        with pytest.raises(ValidationError) as refused:
            jobs.start_import(actor=world.staff, name="tests.units", file=file)
        assert list(refused.value.message_dict) == ["file"]
        assert words in refused.value.message_dict["file"][0]
    assert not Job.objects.exists()


def test_only_those_the_importer_allows_may_start_it(world, media):
    with pytest.raises(PermissionDenied):
        jobs.start_import(actor=world.contact_a, name="tests.units", file=upload(["x", "镇街", ""]))
    with pytest.raises(LookupError):
        jobs.start_import(actor=world.staff, name="no.such", file=upload(["x", "镇街", ""]))


def test_an_export_job_writes_the_filtered_rows(world, media, recorded):
    Unit.objects.create(name="=HYPERLINK(1)", kind="town_street")
    job = jobs.start_export(actor=world.staff, name="tests.units", params="kind=town_street")
    assert jobs.run_job(job.pk)
    job.refresh_from_db()
    expected = Unit.objects.filter(kind="town_street").count()
    assert (job.status, job.total, job.done, job.summary["rows"]) == (JobStatus.DONE, expected, expected, expected)
    sheet = load_workbook(io.BytesIO(job.result.read())).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert "'=HYPERLINK(1)" in names
    assert "镇街C" in names
    assert "区委" not in names
    assert QueryDict(job.params)["kind"] == "town_street"


def test_a_job_that_breaks_ends_failed_with_a_message(world, media, recorded, monkeypatch):
    monkeypatch.setitem(jobs.EXPORTERS, "tests.broken", jobs.Exporter("tests.broken", "坏", [], lambda u, p: 1 / 0))
    job = jobs.start_export(actor=world.staff, name="tests.broken")
    assert jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message
    assert job.finished_at


def test_the_sweep_requeues_what_waits_and_deletes_what_is_old(world, media, recorded):
    fresh = jobs.start_export(actor=world.staff, name="tests.units")
    with time_machine.travel(timezone.now() - jobs.REQUEUE_AFTER * 2):
        waiting = jobs.start_export(actor=world.staff, name="tests.units")
    with time_machine.travel(timezone.now() - jobs.KEEP_FOR * 2):
        old = jobs.start_export(actor=world.staff, name="tests.units")
        jobs.run_job(old.pk)
    old.refresh_from_db()
    path = old.result.path
    assert jobs.requeue_jobs() == {"requeued": 1, "deleted": 1}
    assert recorded == [waiting.pk]
    assert not Job.objects.filter(pk=old.pk).exists()
    assert not __import__("os").path.exists(path)
    assert Job.objects.filter(pk=fresh.pk).exists()
    assert jobs.run_pending_jobs() == 2  # the command: every waiting job, here, without a broker
