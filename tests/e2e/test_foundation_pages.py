"""What a person sees: log in through the form, find an enterprise, open it, on a wide and a narrow
screen. Real Chromium, real pages."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_logs_in_and_finds_an_enterprise_by_name(world, login, live_server):
    page = login("staff")
    assert "链长制党建工作平台" in page.title() or page.locator("header").inner_text()
    page.goto(f"{live_server.url}/chains/enterprises/")
    page.fill("input[name=q]", "甲二")
    page.keyboard.press("Enter")
    page.wait_for_url("**/chains/enterprises/?*q=*")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "甲二企业" in rows.first.inner_text()
    page.click("text=甲二企业")
    page.wait_for_url(f"**/chains/enterprises/{world.ent_a2.pk}/")
    body = page.locator("main").inner_text()
    assert world.ent_a2.credit_code in body
    assert "生物医药链A" in body


def test_enterprise_contact_cannot_open_another_enterprise(world, login, live_server):
    page = login("contact_a")
    response = page.goto(f"{live_server.url}/chains/enterprises/{world.ent_b1.pk}/")
    assert response.status == 404
    page.goto(f"{live_server.url}/chains/enterprises/")
    text = page.locator("main").inner_text()
    assert "甲一企业" in text
    assert "乙一企业" not in text
    assert "甲二企业" not in text


def test_chain_map_on_a_phone_sized_screen(world, login, live_server):
    page = login("leader_a")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/chains/{world.chain_a.code}/")
    main = page.locator("main")
    assert "研发A" in main.inner_text()
    assert "甲一企业" in main.inner_text()
    # Nothing of the page is pushed wider than the screen (tables scroll inside their own box).
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
