"""Forms that refuse tell everything at once and keep the files, in a real Chromium, on a desktop and a
phone: a submission with three errors shows all three at the top, moves the focus, keeps the good file
by name and attaches it when corrected; the 吐槽大会 grid suggests enterprises as one types, in the
user's scope, and reports every row's errors in one save. No console errors (the CSP refuses inline
script, and would say so there)."""

import re

import pytest
from playwright.sync_api import expect

from issues.models import CategoryKind, ComplaintSession, Issue, IssueCategory, StagedUpload
from tests.issues.builders import complaint_session

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4 the site survey"


@pytest.fixture
def console_errors(page):
    """What the browser reports as errors, but the refused form's own 400: that status is the answer
    the page means to give (a form in error), which Chromium logs as a failed load of the document."""
    seen = []

    def on_console(message):
        refused_form = "status of 400" in message.text and message.location.get("url") in (page.url, "")
        if message.type == "error" and not refused_form:
            seen.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


def in_viewport(page, locator) -> bool:
    # Once static/js/form-errors.js has run (it moves the focus off the page's body).
    page.wait_for_function("document.activeElement && document.activeElement !== document.body")
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    assert box is not None
    assert box["y"] >= -1, box
    assert box["y"] + box["height"] <= height + 1, (box, height)
    return True


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_submission_with_three_errors_shows_all_three_and_keeps_the_file(
    page, live_server, login, world, settings, tmp_path, console_errors, viewport
):
    settings.MEDIA_ROOT = tmp_path / "media"
    IssueCategory.objects.create(code="request", name="政策诉求", kind=CategoryKind.REQUEST, resolve_days=10)
    page.set_viewport_size(viewport)
    login("contact_a")
    page.goto(f"{live_server.url}/issues/new/")
    page.get_by_label("说明").fill("扩建用地审批已超过三个月，影响新产线投产。")
    page.get_by_label("附件").set_input_files(
        [
            {"name": "现场勘查.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "run.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"},
        ]
    )
    page.get_by_role("button", name="提交", exact=True).click()  # no category, no title, an .exe

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary.locator("li")).to_have_count(3)
    expect(summary).to_contain_text("类别")
    expect(summary).to_contain_text("标题")
    expect(summary).to_contain_text("run.exe")
    assert in_viewport(page, summary), "the message is at the top of the screen, without scrolling"
    focused = page.evaluate("document.activeElement.id || document.activeElement.dataset.errorSummary")
    if viewport is DESKTOP:
        assert focused == "id_category"  # the first field in error, the summary above it in view
    else:
        assert focused in ("id_category", "")  # on the phone: the field if it fits, else the summary
        assert page.evaluate("document.activeElement.closest('[data-error-summary], #id_category') !== null")
    expect(page.locator(".staged-files")).to_contain_text("现场勘查.pdf")
    assert StagedUpload.objects.filter(owner=world.contact_a).count() == 1

    # A link of the summary leads to its field.
    summary.get_by_role("link", name=re.compile("^标题")).click()
    assert page.evaluate("document.activeElement.id") == "id_title"

    page.get_by_label("类别").select_option(label="政策诉求")
    page.get_by_label("标题").fill("厂房扩建用地审批慢")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator(".message.success")).to_contain_text("已提交")
    issue = Issue.objects.get()
    assert list(issue.attachments.values_list("original_name", flat=True)) == ["现场勘查.pdf"]
    expect(page.get_by_role("link", name="现场勘查.pdf")).to_be_visible()
    assert not StagedUpload.objects.exists()
    assert console_errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_grid_suggests_enterprises_and_reports_every_row_at_once(
    page, live_server, login, world, console_errors, viewport
):
    IssueCategory.objects.create(code="request", name="政策诉求", kind=CategoryKind.REQUEST, resolve_days=10)
    session = complaint_session(world)
    page.set_viewport_size(viewport)
    login("staff")
    page.goto(f"{live_server.url}/issues/sessions/{session.pk}/entry/")

    first = page.locator("#id_rows-0-enterprise")
    first.press_sequentially("甲一", delay=30)
    suggestions = page.locator("datalist#enterprise-suggestions-0 option")
    expect(suggestions).to_have_count(1)
    assert suggestions.first.get_attribute("value") == world.ent_a1.credit_code
    assert suggestions.first.get_attribute("label") == world.ent_a1.name
    first.fill(world.ent_a1.credit_code)  # what choosing the suggestion puts there
    page.locator("#id_rows-0-category").select_option("request")
    page.locator("#id_rows-0-title").fill("融资难")
    page.locator("#id_rows-0-description").fill("贷款审批慢")
    page.locator("#id_rows-1-enterprise").fill(world.ent_b1.name)  # by its exact name, no title
    page.locator("#id_rows-1-category").select_option("request")
    page.locator("#id_rows-1-description").fill("补贴申报")
    page.locator("#id_rows-2-enterprise").fill("91110000")  # a mistyped code
    page.locator("#id_rows-2-category").select_option("request")
    page.locator("#id_rows-2-title").fill("用地")
    page.locator("#id_rows-2-description").fill("审批")
    page.get_by_role("button", name="保存全部").click()

    summary = page.locator("[data-error-summary]")
    expect(summary.locator("li")).to_have_count(2)
    expect(summary).to_contain_text("第 2 行 · 标题")
    expect(summary).to_contain_text("第 3 行 · 企业")
    assert in_viewport(page, summary)
    assert not Issue.objects.exists()

    page.locator("#id_rows-1-title").fill("政策咨询")
    page.locator("#id_rows-2-enterprise").fill(world.ent_a2.credit_code)
    page.get_by_role("button", name="保存全部").click()
    expect(page.locator(".message.success")).to_contain_text("3")
    assert Issue.objects.filter(session=session).count() == 3
    assert ComplaintSession.objects.get().pk == session.pk
    assert console_errors == []
