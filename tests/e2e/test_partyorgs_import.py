"""The organization import through the pages, in a real Chromium, run by a real Celery worker: staff
open the import from the tree page, upload a file with a bad row, watch the check's progress bar
finish and list the error, upload the corrected file, confirm, watch the import finish, and find the
organizations in the tree."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partyorgs.models import PartyOrganization
from tests.e2e.test_job_progress import worker_queue  # noqa: F401 - the real worker, as a fixture
from tests.plumbing.conftest import xlsx

pytestmark = pytest.mark.e2e
HEADER = ["名称", "类型", "上级党组织", "覆盖企业（统一社会信用代码）", "正式党员", "预备党员"]
ROWS = 120


def test_staff_import_organizations_and_watch_the_bar_finish(
    page,
    live_server,
    login,
    world,
    worker_queue,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    root = ["导入测试党委", "党委", "", "", 5, 0]
    branches = [[f"导入测试支部{n:03d}", "党支部", "导入测试党委", "", 3, n % 2] for n in range(ROWS)]
    bad = tmp_path / "党组织-有误.xlsx"
    bad.write_bytes(xlsx(HEADER, root, *branches, ["坏支部", "党支部", "", "91440112MA5BAD0000", 3, 0]).getvalue())
    good = tmp_path / "党组织.xlsx"
    good.write_bytes(
        xlsx(
            HEADER, root, *branches, ["甲一企业党支部", "党支部", "导入测试党委", world.ent_a1.credit_code, 8, 1]
        ).getvalue()
    )

    login("staff")
    page.goto(live_server.url + reverse("partyorgs:org-list"))
    page.get_by_role("link", name="导入党组织").click()
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="上传并检查").click()
    progress = page.locator(".job-progress progress")
    expect(progress).to_be_visible()
    expect(page.locator("table.data")).to_contain_text("91440112MA5BAD0000", timeout=60_000)
    expect(progress).to_have_attribute("value", "100")
    assert not PartyOrganization.objects.filter(name__startswith="导入测试").exists()

    page.get_by_role("link", name="上传其他文件").click()
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="上传并检查").click()
    import_now = page.get_by_role("button", name="立即导入")
    expect(import_now).to_be_visible(timeout=60_000)
    import_now.click()
    expect(page.locator("p.success")).to_contain_text(str(ROWS + 2), timeout=60_000)
    expect(page.locator(".job-progress progress")).to_have_attribute("value", "100")

    assert (
        PartyOrganization.objects.filter(name__startswith="导入测试支部", parent__name="导入测试党委").count() == ROWS
    )
    page.goto(live_server.url + reverse("partyorgs:org-list") + "?q=导入测试党委")
    expect(page.locator("table.data")).to_contain_text("导入测试党委")
    expect(page.locator("table.data")).to_contain_text(f"{ROWS + 2} ·")  # itself, the branches, 甲一企业党支部
