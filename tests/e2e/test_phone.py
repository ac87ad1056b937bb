"""On a phone (390×844): a failed action says so at the top of the page, where the focus goes; the
unread count is in the header without opening the menu; list rows are cards that lead with the
status and the time left. Real Chromium, no console errors."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.issues.builders import issue_in
from tests.issues.conftest import calendar_2026, categories  # noqa: F401 - fixtures, by name

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
REFUSED_FORM = "Failed to load resource: the server responded with a status of 400"


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    # A refused form is answered 400 on purpose, and the browser notes the status; script errors and
    # any other failed load still count.
    assert [e for e in errors if not e.startswith(REFUSED_FORM)] == []


def within_screen(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def test_a_refused_action_is_told_at_the_top_and_takes_the_focus(phone, login, live_server, world, categories):  # noqa: F811
    issue = issue_in(world, "submitted")
    login("staff")
    phone.goto(f"{live_server.url}{reverse('issues:issue-detail', args=[issue.pk])}")
    reject = phone.locator("details.action-reject")
    reject.locator("summary").click()
    reject.get_by_role("button", name="不予受理").click()  # no reason given

    message = phone.locator(".messages .message.error")
    expect(message).to_contain_text("未能不予受理")
    expect(message).to_contain_text("理由")
    assert within_screen(phone, message), "the message must be seen without scrolling"
    expect(message).to_be_focused()
    # The link in the message leads to the refused field, in its unfolded form.
    message.get_by_role("link", name="转到出错处").click()
    expect(reject.locator("textarea[name$=reason]")).to_be_focused()


def test_the_unread_count_is_in_the_header_with_the_menu_folded(phone, login, live_server, world, categories):  # noqa: F811
    issue_in(world, "dispatched")  # tells the lead unit's handler
    login("handler_a")
    nav = phone.locator("#main-nav")
    expect(nav).to_be_hidden()
    count = phone.locator(".header-count")
    expect(count).to_be_visible()
    expect(count.locator(".badge-unread")).to_have_text(re.compile(r"^[1-9]\d*$"))
    assert within_screen(phone, count)
    # The menu opens and closes with its button, which says which it is.
    toggle = phone.get_by_role("button", name="菜单")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(nav).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")


def test_queue_rows_are_cards_leading_with_status_and_time_left(phone, login, live_server, world, categories):  # noqa: F811
    issue_in(world, "dispatched", title="厂房扩建用地审批慢")
    login("handler_a")
    phone.goto(f"{live_server.url}{reverse('issues:queue')}")
    row = phone.locator("table.stack tbody tr").first
    first, second = row.locator("td.first").all()
    title = row.locator("th")
    assert first.bounding_box()["y"] <= title.bounding_box()["y"]
    assert second.bounding_box()["y"] <= title.bounding_box()["y"]
    expect(first).to_contain_text("待签收")
    expect(second).to_contain_text("剩余")
    # Every other cell says which column it is.
    expect(row.locator("td").nth(0)).to_have_attribute("data-label", "编号")
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
