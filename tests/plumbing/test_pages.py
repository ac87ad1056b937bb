"""The import, export and job pages: who may reach them, what they show, their queries."""

import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from chainparty import jobs
from chainparty.models import Job
from tests.plumbing.test_jobs import checked, upload

IMPORT = reverse("jobs:import", args=["tests.units"])


@pytest.fixture
def recorded(monkeypatch):
    ids = []
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args: ids.append(args[0]) or True)
    return ids


def test_staff_upload_a_file_and_land_on_its_job_page(
    client, world, media, recorded, django_capture_on_commit_callbacks
):
    client.force_login(world.staff)
    page = client.get(IMPORT)
    assert page.status_code == 200
    assert reverse("jobs:import-template", args=["tests.units"]).encode() in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"file": upload(["新单位", "镇街", ""])})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert recorded == [job.pk]
    assert job.dry_run
    assert job.upload_name == "单位.xlsx"


def test_an_upload_without_a_file_shows_the_reason_on_the_form(client, world, media):
    client.force_login(world.staff)
    response = client.post(IMPORT, {})
    assert response.status_code == 400
    assert response.context["form"].errors == {"file": [gettext("Choose an .xlsx file to upload.")]}
    assert not Job.objects.exists()


def test_the_template_downloads_as_xlsx(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("jobs:import-template", args=["tests.units"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_job_page_lists_every_error_then_offers_the_import(client, world, media, recorded):
    bad = checked(world, ["区委", "不知道", ""])
    client.force_login(world.staff)
    page = client.get(bad.get_absolute_url()).content.decode()
    assert "已有同名单位" in page
    assert reverse("jobs:job-confirm", args=[bad.pk]) not in page
    good = checked(world, ["新单位", "镇街", ""])
    page = client.get(good.get_absolute_url()).content.decode()
    assert reverse("jobs:job-confirm", args=[good.pk]) in page
    response = client.post(reverse("jobs:job-confirm", args=[good.pk]))
    imported = Job.objects.get(checked=good)
    assert response["Location"] == imported.get_absolute_url()
    assert client.post(reverse("jobs:job-confirm", args=[good.pk]))["Location"] == imported.get_absolute_url()


def test_the_status_is_json_for_the_progress_bar(client, world, media, recorded):
    job = checked(world, ["新单位", "镇街", ""])
    client.force_login(world.staff)
    state = client.get(reverse("jobs:job-status", args=[job.pk])).json()
    assert state["finished"] is True
    assert state["percent"] == 100
    assert state["done"] == state["total"] == 1


def test_a_small_export_downloads_at_once_with_the_filters(client, world, media, recorded):
    client.force_login(world.staff)
    response = client.post(reverse("jobs:export", args=["tests.units"]), {"params": "kind=town_street"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert not Job.objects.exists()
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [world.town.name]


def test_a_large_export_starts_a_job_from_a_post_and_downloads_for_its_owner(
    client, world, media, recorded, monkeypatch
):
    monkeypatch.setattr(jobs, "EXPORT_AT_ONCE_ROWS", 0)
    client.force_login(world.staff)
    response = client.post(reverse("jobs:export", args=["tests.units"]), {"params": "kind=town_street"})
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.params == "kind=town_street"
    assert client.get(reverse("jobs:export", args=["tests.units"])).status_code == 405
    jobs.run_job(job.pk)
    download = client.get(reverse("jobs:job-download", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize(
    "who", ["leader_a", "handler_a", "chief_a", "secretary_a", "contact_a", "security", "auditor", "outsider"]
)
def test_nobody_else_can_see_a_job(client, world, media, recorded, who):
    job = checked(world, ["新单位", "镇街", ""])
    client.force_login(getattr(world, who))
    for name in ("jobs:job-detail", "jobs:job-status", "jobs:job-confirm", "jobs:job-download"):
        method = client.post if name == "jobs:job-confirm" else client.get
        assert method(reverse(name, args=[job.pk])).status_code == 404, name
    assert not Job.objects.filter(checked=job).exists()


@pytest.mark.parametrize(
    ("who", "status"), [("contact_a", 403), ("leader_a", 403), ("security", 404), ("auditor", 404)]
)
def test_an_importer_for_staff_is_closed_to_the_others(client, world, media, who, status):
    client.force_login(getattr(world, who))
    assert client.get(IMPORT).status_code == status
    assert client.post(IMPORT, {"file": upload(["x", "镇街", ""])}).status_code == status
    assert client.post(reverse("jobs:export", args=["tests.units"])).status_code == status
    assert not Job.objects.exists()


def test_an_unknown_importer_or_exporter_is_404(client, world):
    client.force_login(world.staff)
    assert client.get(reverse("jobs:import", args=["no.such"])).status_code == 404
    assert client.post(reverse("jobs:export", args=["no.such"])).status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(client, world, media, recorded):
    job = checked(world, ["新单位", "镇街", ""])
    assert client.get(job.get_absolute_url()).status_code == 302
    assert client.get(IMPORT).status_code == 302


def test_job_pages_cost_a_fixed_number_of_queries(client, world, media, recorded, django_assert_num_queries):
    job = checked(world, *[[f"新单位{n}", "镇街", ""] for n in range(3)] + [["区委", "镇街", ""]])
    client.force_login(world.staff)
    client.get(job.get_absolute_url())  # warm the session and the menu's caches
    # session, user, roles, the job, the import that followed its check, the inbox and 督办件 badges
    with django_assert_num_queries(7):
        assert client.get(job.get_absolute_url()).status_code == 200
    with django_assert_num_queries(4):  # session, user, roles, the job
        assert client.get(reverse("jobs:job-status", args=[job.pk])).status_code == 200
    with django_assert_num_queries(6):  # the menu's badges among them
        assert client.get(IMPORT).status_code == 200
