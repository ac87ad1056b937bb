"""Accessibility: axe-core (the release bundled by the pinned axe-playwright-python) over each role's
pages in Debian's Chromium, on a desktop and a phone: no critical or serious finding, and no error in
the browser's console.

axe's script is evaluated in the page by Playwright (not a <script> the page loads), so the pages'
Content-Security-Policy stays as it is served."""

import re
from pathlib import Path

import axe_playwright_python
import pytest
from django.urls import reverse

from accounts.roles import Role
from tests import factories as f
from tests.issues.builders import issue_in
from tests.issues.conftest import calendar_2026, categories  # noqa: F401 - fixtures, by name
from tests.meetings.conftest import chains, meeting, meetings_world  # noqa: F401 - fixtures, by name

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = {"critical", "serious"}
VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def pages(world, meeting, categories):  # noqa: F811 - the imported fixtures, by name
    """Each role's pages (paths), on a world with an issue in each of its main states."""
    w = world
    dispatched = issue_in(w, "dispatched", title="厂房扩建用地审批慢")
    issue_in(w, "submitted", title="人才公寓申请")
    escalated = issue_in(w, "in_progress", title="电力增容", escalation=1)
    chief = f.UserFactory(username="chief_b", unit=w.town, roles=[Role.PARK_CHIEF])
    w.park_b.chiefs.add(chief)
    everyone = [reverse("home"), reverse("accounts:password-change"), "/no-such-page/"]
    business = [*everyone, reverse("inbox:list"), reverse("chains:chain-list"), reverse("issues:issue-list")]
    chain = reverse("chains:chain-detail", args=[w.chain_a.code])
    enterprise = reverse("chains:enterprise-detail", args=[w.ent_a1.pk])
    return {
        "anonymous": [reverse("accounts:login"), "/no-such-page/"],
        "staff": [
            *business,
            chain,
            reverse("chains:enterprise-list"),
            enterprise,
            reverse("chains:park-list"),
            reverse("chains:park-detail", args=[w.park_a.pk]),
            reverse("partyorgs:org-list"),
            reverse("issues:issue-detail", args=[dispatched.pk]),
            reverse("issues:session-list"),
            reverse("issues:ranking"),
            reverse("meetings:meeting-list"),
            reverse("meetings:meeting-detail", args=[meeting.pk]),
            reverse("secretaries:posting-list"),
            reverse("secretaries:cadre-list"),
            reverse("secretaries:suggestions"),
            reverse("jobs:import", args=["secretaries.cadres"]),
            reverse("dashboards:district"),
            reverse("dashboards:screen"),
        ],
        "handler_a": [
            *business,
            reverse("issues:queue"),
            reverse("issues:issue-detail", args=[dispatched.pk]),
            reverse("meetings:meeting-detail", args=[meeting.pk]),
        ],
        "handler_ic": [
            *business,
            reverse("issues:queue"),
            reverse("issues:supervision-queue"),
            reverse("issues:issue-detail", args=[escalated.pk]),
        ],
        "leader_a": [
            *business,
            chain,
            reverse("issues:supervision-queue"),
            reverse("issues:issue-detail", args=[escalated.pk]),
            reverse("issues:ranking"),
            reverse("meetings:meeting-list"),
            reverse("dashboards:chain", args=[w.chain_a.pk]),
        ],
        "contact_a": [
            *business,
            enterprise,
            reverse("issues:issue-submit"),
            reverse("issues:issue-detail", args=[dispatched.pk]),
        ],
        "chief_b": [
            *business,
            reverse("secretaries:parks"),
            reverse("issues:issue-submit"),
            reverse("dashboards:park", args=[w.park_b.pk]),
        ],
        "secretary_a": [*business, reverse("secretaries:mine")],
        "security": everyone,
        "auditor": everyone,
    }


def axe_findings(page) -> list[str]:
    page.evaluate(AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node['failureSummary']}"
        for violation in result["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Correct-Horse-42")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


ROLES = ["anonymous", "staff", "handler_a", "handler_ic", "leader_a", "contact_a", "chief_b", "secretary_a"]


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("who", [*ROLES, "security", "auditor"])
def test_every_page_of_a_role_has_no_serious_axe_finding_nor_console_error(page, live_server, pages, who, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: console.append(str(error)))
    if who != "anonymous":
        sign_in(page, live_server, who)
    findings, errors = {}, {}
    for path in pages[who]:
        console.clear()
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        if path == "/no-such-page/":
            assert response.status == 404
            # The browser reports the 404 itself on the console; nothing else may be there.
            console[:] = [text for text in console if not re.search(r"404 \(Not Found\)", text)]
        else:
            assert response.status == 200, path
        if found := axe_findings(page):
            findings[path] = found
        if console:
            errors[path] = list(console)
    assert not findings, report(findings)
    assert errors == {}


def report(findings: dict[str, list[str]]) -> str:
    """Each finding once, with the pages it is on."""
    pages_of: dict[str, list[str]] = {}
    for path, lines in findings.items():
        for line in lines:
            pages_of.setdefault(line, []).append(path)
    return "\n\n".join(f"{line}\n  on {', '.join(paths)}" for line, paths in pages_of.items())
