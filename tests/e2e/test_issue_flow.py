"""An issue's whole transfer flow through the pages, in a real Chromium: the enterprise contact submits
it, district staff accept and dispatch it, the unit handler signs for it and resolves it, and the
contact rates it 满意 and sees it closed in the timeline."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from issues.models import CategoryKind, Issue, IssueCategory, Status
from workdays.calendar import clear_cache

pytestmark = pytest.mark.e2e


def switch_user(page, login, username):
    page.context.clear_cookies()
    return login(username)


def open_action(page, label):
    """Unfold an action's form (each is a <details> in the side panel) by its summary."""
    summary = page.locator("summary", has_text=re.compile(f"^{re.escape(label)}$"))
    panel = page.locator("aside.issue-actions details", has=summary)
    if panel.get_attribute("open") is None:
        summary.click()
    return panel


def test_transfer_flow_from_submission_to_rating(page, live_server, login, world):
    call_command("load_holidays", "--years", "2026", verbosity=0)
    clear_cache()
    IssueCategory.objects.create(code="request", name="政策诉求", kind=CategoryKind.REQUEST, resolve_days=10)

    # The enterprise contact submits the issue through the form.
    login("contact_a")
    page.locator("nav.main-nav").get_by_role("link", name=re.compile("^提交")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^提交"))
    expect(page.get_by_label("企业")).to_have_value(str(world.ent_a1.pk))  # their only enterprise, preset
    page.get_by_label("类别").select_option(label="政策诉求")
    page.get_by_label("标题").fill("厂房扩建用地审批慢")
    page.get_by_label("说明").fill("扩建用地审批已超过三个月，影响新产线投产。")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator(".message.success")).to_contain_text("已提交")
    issue = Issue.objects.get()
    expect(page.locator(".section-head .issue-status")).to_have_text("已提交")
    expect(page.locator(".facts").first).to_contain_text(issue.number)

    # District staff accept and dispatch it; the lead unit is suggested (the chain's lead unit).
    switch_user(page, login, "staff")
    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    open_action(page, "受理").get_by_role("button", name="受理").click()
    expect(page.locator(".message.success")).to_have_text("问题诉求已受理。")
    dispatch = open_action(page, "派单")
    expect(dispatch.get_by_label("牵头部门")).to_have_value(str(world.dept_a.pk))
    dispatch.get_by_label("转办").check()
    dispatch.get_by_role("button", name="派单").click()
    expect(page.locator(".message.success")).to_have_text("问题诉求已派单。")
    expect(page.locator(".section-head .issue-status")).to_have_text("已派单")

    # The unit handler finds it in the queue, signs for it and resolves it.
    switch_user(page, login, "handler_a")
    page.locator("nav.main-nav").get_by_role("link", name="待办").click()
    page.get_by_role("link", name="厂房扩建用地审批慢").click()
    page.locator("aside.issue-actions").get_by_role("button", name="签收").click()
    expect(page.locator(".message.success")).to_have_text("已签收。")
    expect(page.locator(".section-head .issue-status")).to_have_text("推进中")
    resolve = open_action(page, "办结")
    resolve.get_by_label("答复企业").fill("已协调自然资源部门，审批将于本周内完成。")
    resolve.get_by_role("button", name="办结").click()
    expect(page.locator(".message.success")).to_contain_text("已办结")

    # The contact is told, rates it 满意, and the timeline shows it 已办结 and then closed.
    switch_user(page, login, "contact_a")
    expect(page.locator("nav.main-nav").get_by_role("link", name=re.compile(r"^消息\D*[1-9]"))).to_be_visible()
    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    expect(page.locator(".answer")).to_contain_text("审批将于本周内完成")
    rate = open_action(page, "评价")
    rate.get_by_label("满意", exact=True).check()
    rate.get_by_label("发表意见").fill("感谢，办理很快。")
    rate.get_by_role("button", name="评价").click()
    expect(page.locator(".message.success")).to_have_text("感谢您的评价。")

    timeline = page.locator("ol.timeline")
    expect(timeline.locator(".action-resolve .issue-status")).to_have_text("已办结")
    expect(timeline.locator(".action-rate")).to_contain_text("满意")
    expect(timeline.locator(".action-rate .issue-status")).to_have_text("已关闭")
    expect(page.locator(".section-head .issue-status")).to_have_text("已关闭")
    expect(timeline.locator("li .timeline-action")).to_have_text(["提交", "受理", "派单", "签收", "办结", "评价"])
    issue.refresh_from_db()
    assert issue.status == Status.CLOSED
