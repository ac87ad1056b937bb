"""Staff find an issue by a word of its title and export the list (issue 10), in a real Chromium on a
desktop and on a phone: the search, the link to the enterprise and back to its issues, a sortable
column, and the Excel download holding what the list shows — with no console error on the way."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.issues.builders import issue_in
from tests.issues.conftest import calendar_2026, categories  # noqa: F401 - the issues' fixtures, by name

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.mark.usefixtures("calendar_2026", "categories")
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_staff_find_an_issue_by_a_word_of_its_title_and_export_the_list(page, live_server, login, world, viewport):
    wanted = issue_in(world, "submitted", title="厂房扩建用电增容排队", enterprise=world.ent_a2)
    for title in ("人才公寓申请", "用地审批慢", "招聘补贴发放"):
        issue_in(world, "submitted", title=title)
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.set_viewport_size(VIEWPORTS[viewport])

    login("staff")
    page.goto(f"{live_server.url}/issues/")
    page.get_by_label("编号、标题或企业").fill("用电")
    page.locator("form.filters button[type=submit]").click()
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(wanted.number)
    expect(page.get_by_label("编号、标题或企业")).to_have_value("用电")

    # The list as found goes to Excel at once (a small list), with the search applied.
    with page.expect_download() as download:
        page.locator("form.export-form button").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as file:
        sheet = load_workbook(file).active
    exported = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1]) for row in exported] == [(wanted.number, wanted.title)]

    # From the issue to its enterprise, and from the enterprise to all its issues.
    rows.first.get_by_role("link", name=world.ent_a2.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.ent_a2.name)
    page.get_by_role("link", name="该企业的问题诉求").click()
    expect(page.locator("table.data tbody tr")).to_have_count(1)

    # Sorting by a column head keeps the search and says which way it sorts.
    page.goto(f"{live_server.url}/issues/?q=%E7%94%A8")  # 用: two of the four titles
    page.locator("thead a.sort").last.click()  # the last column: when it was submitted
    expect(page.locator("th[aria-sort=ascending]")).to_have_count(1)
    expect(page.locator("table.data tbody tr")).to_have_count(2)
    assert re.search(r"ordering=created", page.url)
    assert problems == []
