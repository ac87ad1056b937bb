"""The party-organization pages on a phone (390×844) in a real Chromium: the section menu folds
behind a button that opens and closes it (a static script: the CSP refuses inline ones, and the
page reports no violation), its links lead on, and no page is wider than the screen. On a desktop
the links stand in a row and the button is hidden."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def tree(world):
    committee = f.PartyOrganizationFactory(name="行业党委A党委", kind="committee", unit=world.ic_a)
    f.PartyOrganizationFactory(name="甲一企业党支部", parent=committee, covers=[world.ent_a1], formal_members=8)
    f.PartyOrganizationFactory(name="经济部门A机关党支部", unit=world.dept_a)
    return world


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_section_menu_on_a_phone(page, live_server, login, tree):
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    login("staff")
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("partyorgs:coverage"))

    menu = page.locator("nav.section-nav")
    toggle = menu.get_by_role("button")
    links = menu.locator("ul")
    expect(toggle).to_be_visible()
    expect(toggle).to_contain_text("两个覆盖")  # where the phone is now
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(links).to_be_hidden()
    assert overflow(page) <= 1

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(links).to_be_visible()
    page.keyboard.press("Escape")
    expect(links).to_be_hidden()
    expect(toggle).to_be_focused()

    toggle.click()
    box = menu.get_by_role("link", name="红联共建").bounding_box()
    assert box["width"] > PHONE["width"] * 0.8  # one link a line, easy to tap
    assert box["height"] >= 40
    menu.get_by_role("link", name="红联共建").click()
    page.wait_for_url(f"**{reverse('partyorgs:pairing-list')}")
    expect(page.locator("nav.section-nav").get_by_role("button")).to_contain_text("红联共建")

    for url in (
        reverse("partyorgs:org-list"),
        reverse("partyorgs:pairing-create"),
        reverse("partyorgs:should-establish"),
        reverse("partyorgs:meetings"),
    ):
        page.goto(live_server.url + url)
        expect(page.locator("nav.section-nav ul")).to_be_hidden()
        assert overflow(page) <= 1, url
    # The pairing form names the organizations' enterprises and chains, and fits the screen.
    page.goto(live_server.url + reverse("partyorgs:pairing-create"))
    options = page.locator("select[name=enterprise_org] option")
    expect(options.filter(has_text="甲一企业党支部")).to_have_text("甲一企业党支部 — 甲一企业（产业链：生物医药链A）")
    select = page.locator("select[name=enterprise_org]").bounding_box()
    assert select["x"] + select["width"] <= PHONE["width"]
    assert violations == []


def test_on_a_desktop_the_links_stand_in_a_row(page, live_server, login, tree):
    login("contact_a")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + reverse("partyorgs:org-list"))
    menu = page.locator("nav.section-nav")
    expect(menu.get_by_role("button")).to_be_hidden()
    tree_link, coverage_link = menu.get_by_role("link", name="组织体系"), menu.get_by_role("link", name="两个覆盖")
    expect(tree_link).to_have_attribute("aria-current", "page")
    assert tree_link.bounding_box()["y"] == coverage_link.bounding_box()["y"]
    expect(menu.get_by_role("link", name="新建党组织")).to_have_count(0)  # staff only
