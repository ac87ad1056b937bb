"""An import through the pages, in a real Chromium, run by a real Celery worker: staff upload a file,
watch the check's progress bar finish and list every error, upload the corrected file, confirm, and
watch the import finish — the page follows the job by itself (static/js/jobs.js), nobody reloads it."""

import uuid

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Unit
from chainparty.celery import app
from tests.plumbing.conftest import xlsx
from tests.workers import celery_worker

pytestmark = pytest.mark.e2e
HEADER = ["名称", "类别", "简称"]
ROWS = 300


@pytest.fixture
def worker_queue(settings, tmp_path):
    """A real worker on a queue of its own, which the pages' enqueue() sends to; it reads and writes
    the same media folder as the live server."""
    queue = f"jobs-e2e-{uuid.uuid4().hex[:10]}"
    settings.MEDIA_ROOT = tmp_path / "media"
    saved = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        with celery_worker(
            queue, tmp_path / "worker.log", app="tests.plumbing.worker_app", MEDIA_ROOT=str(settings.MEDIA_ROOT)
        ) as worker:
            yield worker
    finally:
        app.conf.task_default_queue = saved


def test_staff_watch_a_check_and_an_import_finish(page, live_server, login, world, worker_queue, tmp_path):
    bad = tmp_path / "单位-有误.xlsx"
    bad.write_bytes(
        xlsx(HEADER, *[[f"导入单位{n}", "镇街", ""] for n in range(ROWS)], ["区委", "不知道", ""]).getvalue()
    )
    good = tmp_path / "单位.xlsx"
    good.write_bytes(xlsx(HEADER, *[[f"导入单位{n}", "镇街", ""] for n in range(ROWS)]).getvalue())

    login("staff")
    page.goto(live_server.url + reverse("jobs:import", args=["tests.units"]))
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="上传并检查").click()
    progress = page.locator(".job-progress progress")
    expect(progress).to_be_visible()
    # The worker checks the file; the bar fills and the page shows the errors without a reload by us.
    expect(page.locator("table.data")).to_contain_text("已有同名单位", timeout=60_000)
    expect(page.locator("table.data")).to_contain_text("类别")
    expect(progress).to_have_attribute("value", "100")
    assert not Unit.objects.filter(name__startswith="导入单位").exists()

    page.get_by_role("link", name="上传其他文件").click()
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="上传并检查").click()
    import_now = page.get_by_role("button", name="立即导入")
    expect(import_now).to_be_visible(timeout=60_000)
    import_now.click()
    expect(page.locator("p.success")).to_contain_text(str(ROWS), timeout=60_000)
    expect(page.locator(".job-progress progress")).to_have_attribute("value", "100")
    assert Unit.objects.filter(name__startswith="导入单位").count() == ROWS
