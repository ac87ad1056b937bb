"""The escalation ladder in a real Chromium, on a desktop and a phone: the industry party committee's
handler finds the overdue issue in 督办件 (not an empty queue), supervises it with a reply-by day and
urges the co-unit; the chain leader, once it reaches level 2, supervises and puts it on the chain's
next meeting; the lead unit sees why it cannot resolve yet. No console errors on any page."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from issues.models import CategoryKind, Issue, IssueCategory, Supervision, Urge
from meetings.models import AgendaItem, Meeting
from tests import factories as f
from tests.clock import at
from tests.issues.builders import issue_in
from workdays.calendar import clear_cache

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def open_action(page, label):
    summary = page.locator("summary", has_text=re.compile(f"^{re.escape(label)}$"))
    panel = page.locator("aside.issue-actions details", has=summary)
    if panel.get_attribute("open") is None:
        summary.click()
    return panel


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_committee_and_the_chain_leader_act_on_an_escalated_issue(page, live_server, login, world, viewport):
    call_command("load_holidays", "--years", "2026", verbosity=0)
    clear_cache()
    IssueCategory.objects.create(code="inquiry", name="政策咨询", kind=CategoryKind.INQUIRY, resolve_days=2)
    f.UserFactory(username="handler_ic", unit=world.ic_a, roles=[Role.UNIT_HANDLER])
    issue = issue_in(
        world,
        "in_progress",
        category="inquiry",
        at=at(9, 28),
        escalation=1,
        mode="joint",
        co=[world.dept_b],
        co_parts="signed",
    )
    page.set_viewport_size(VIEWPORTS[viewport])
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The committee's handler: the queue points to the 督办件, which lists the issue.
    login("handler_ic")
    page.goto(f"{live_server.url}/issues/queue/")
    expect(page.locator("main")).to_contain_text("1 件升级到本单位的问题待您督办")
    page.get_by_role("link", name="查看督办件").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("督办件")
    page.get_by_role("link", name=issue.title).click()
    supervise = open_action(page, "督办")
    supervise.get_by_label("督办意见").fill("请三个工作日内答复企业")
    supervise.get_by_label("牵头部门答复期限").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    supervise.get_by_role("button", name="督办").click()
    expect(page.locator(".message.success").first).to_be_visible()
    expect(page.locator(".supervisions")).to_contain_text("请三个工作日内答复企业")
    urge = open_action(page, "催办")
    urge.get_by_label("单位").select_option(value=str(world.dept_b.pk))
    urge.get_by_role("button", name="催办").click()
    expect(page.locator(".message.success").first).to_contain_text("已催办")
    expect(page.locator(".badge-urged")).to_contain_text("1")
    assert Supervision.objects.get(issue=issue).by == "committee"
    assert Urge.objects.get(issue=issue).unit == world.dept_b

    # The lead unit: why there is no resolve button, and the supervision to answer.
    page.context.clear_cookies()
    login("handler_a")
    page.goto(f"{live_server.url}{issue.get_absolute_url()}")
    expect(page.locator(".action-blocked")).to_contain_text("等待经济部门B的部分")
    answer = open_action(page, "答复督办")
    answer.get_by_label("本单位答复").fill("已约谈企业，明日现场办理")
    answer.get_by_role("button", name="答复督办").click()
    expect(page.locator(".supervisions")).to_contain_text("已约谈企业，明日现场办理")

    # The chain leader at level 2: supervises and puts it on the chain's next meeting.
    Issue.objects.filter(pk=issue.pk).update(escalation_level=2)
    meeting = Meeting.objects.create(
        chain=world.chain_a,
        quarter="2026Q4",
        title="生物医药链四季度会议",
        starts_at=timezone.now() + timedelta(days=10),
    )
    page.context.clear_cookies()
    login("leader_a")
    page.goto(f"{live_server.url}/issues/supervision/")
    page.get_by_role("link", name=issue.title).click()
    supervise = open_action(page, "督办")
    supervise.get_by_label("督办意见").fill("链长督办：本周内办结")
    supervise.get_by_role("button", name="督办").click()
    expect(page.locator(".supervisions")).to_contain_text("链长督办：本周内办结")
    page.locator("aside.issue-actions").get_by_role("button", name="列入下次产业链会议").click()
    expect(page.locator(".message.success").first).to_contain_text("议程")
    expect(page.locator(".action-blocked")).to_contain_text("生物医药链四季度会议")
    assert AgendaItem.objects.filter(meeting=meeting, issue=issue, added_by=world.leader_a).exists()
    assert errors == []
