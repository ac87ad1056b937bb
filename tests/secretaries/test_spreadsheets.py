"""Excel (issue 8): the cadre pool imported from .xlsx — every row's errors listed before anything is
written, then one import — and postings and work logs exported with the posting list's filters,
scoped to what the exporter may see. Through the shared job runner (chainparty.jobs)."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from chainparty import jobs
from chainparty.models import JobStatus
from secretaries.models import Cadre
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "来源", "来源单位", "职务", "党员", "出生日期", "专长", "电话"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args: True)


def upload(*rows):
    workbook = Workbook()
    workbook.active.append(HEADER)
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("干部库.xlsx", buffer.getvalue())


def check(world, *rows):
    job = jobs.start_import(actor=world.staff, name="secretaries.cadres", file=upload(*rows))
    assert jobs.run_job(job.pk)
    job.refresh_from_db()
    return job


def test_every_error_of_every_row_is_listed_and_nothing_written(posts, media):
    before = Cadre.objects.count()
    job = check(
        posts,
        ["", "镇街", "镇街C", "", "是", "1990-01-01", "", ""],  # no name
        ["李四", "部队", "镇街C", "", "是", "1990-01-01", "", ""],  # not a source kind
        ["王五", "镇街", "不存在的单位", "", "是", "1990-01-01", "", "电话号码"],  # unknown unit, bad phone
        ["储备干部甲", "经济部门", "经济部门A", "", "是", "2030-01-01", "", ""],  # in the pool; born later
        ["赵六", "镇街", "镇街C", "", "是", "1990-01-01", "", ""],
        ["赵六", "镇街", "镇街C", "", "是", "1990-01-01", "", ""],  # twice in the file
    )
    assert job.status == JobStatus.DONE
    assert sorted((e["row"], e["column"]) for e in job.errors) == [
        (2, "姓名"),
        (3, "来源"),
        (4, "来源单位"),
        (4, "电话"),
        (5, "出生日期"),
        (5, "姓名"),
        (6, "姓名"),
        (7, "姓名"),
    ]
    assert Cadre.objects.count() == before


def test_a_clean_file_is_imported_once_after_confirmation(posts, media):
    job = check(
        posts,
        ["李明", "镇街", "镇街C", "党建办主任", "是", "1995-05-01", "基层党建，软件", "13912345678"],
        ["钱七", "economic_department", "经济部门B", "", "否", "", "", ""],
    )
    assert job.errors == []
    assert not Cadre.objects.filter(name="李明").exists()
    done = jobs.confirm_import(actor=posts.staff, job_id=job.pk)
    assert jobs.run_job(done.pk)
    assert not jobs.run_job(done.pk)
    done.refresh_from_db()
    assert done.summary["created"] == 2
    li = Cadre.objects.get(name="李明")
    assert (li.source_unit, li.expertise, li.party_member, li.is_young()) == (
        posts.town,
        ["基层党建", "软件"],
        True,
        True,
    )
    assert not Cadre.objects.get(name="钱七").party_member


def test_the_import_checks_again_when_the_pool_moved(posts, media):
    job = check(posts, ["李明", "镇街", "镇街C", "", "是", "", "", ""])
    f.CadreFactory(name="李明", source_unit=posts.town)
    done = jobs.confirm_import(actor=posts.staff, job_id=job.pk)
    jobs.run_job(done.pk)
    done.refresh_from_db()
    assert done.status == JobStatus.DONE
    assert done.errors
    assert Cadre.objects.filter(name="李明").count() == 1


def test_only_staff_import_the_pool(posts, media):
    for user in (posts.leader_a, posts.chief_a, posts.secretary_a):
        with pytest.raises(PermissionDenied):
            jobs.start_import(actor=user, name="secretaries.cadres", file=upload(["李明", "镇街", "镇街C"]))


def exported(world, user, name, params=""):
    job = jobs.start_export(actor=user, name=name, params=params)
    assert jobs.run_job(job.pk)
    job.refresh_from_db()
    sheet = load_workbook(io.BytesIO(job.result.read())).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_postings_export_with_the_lists_filters_and_scope(posts, media):
    rows = exported(posts, posts.staff, "secretaries.postings", "kind=first_secretary")
    assert rows[0][:4] == ["干部", "来源单位", "类型", "派驻对象"]
    assert sorted(r[3] for r in rows[1:]) == sorted([posts.ent_a1.name, posts.ent_b1.name])
    leader_rows = exported(posts, posts.leader_a, "secretaries.postings")
    assert [r[3] for r in leader_rows[1:]] == [posts.ent_a1.name]


def test_work_logs_export_of_the_postings_the_user_sees(posts, media):
    f.WorkLogFactory(posting=posts.posting_a, summary="=危险公式")
    f.WorkLogFactory(posting=posts.posting_b, summary="乙链走访")
    rows = exported(posts, posts.contact_a, "secretaries.work-logs")
    assert [r[4] for r in rows[1:]] == ["'=危险公式"]


def test_exports_are_for_business_roles_only(posts, media):
    for user in (posts.security, posts.auditor):
        with pytest.raises(PermissionDenied):
            jobs.start_export(actor=user, name="secretaries.postings", params="")
