"""The issues REST contract (README, "API"): the transfer and joint flows over HTTP, refused transitions
(409, nothing written), 403 on a visible issue, 404 outside scope on every route, bad input (400
naming the field, nothing stored), idempotent creation, list filters and query counts, and the
categories, complaint-session and routing-rule endpoints."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from accounts.models import User
from inbox.models import Notification
from issues import routing, selectors, services
from issues.models import (
    Attachment,
    ComplaintSession,
    ExtensionRequest,
    Issue,
    IssueCategory,
    IssueEvent,
    IssueShare,
    Rating,
    RoutingRule,
)
from issues.serializers import IssueListSerializer
from tests.clock import at
from tests.concurrency import race_past_a_lock
from tests.issues.builders import complaint_session, issue_in, sessions_with_issues
from tests.issues.test_workflow import BUTTON_ORDER
from tests.pages import counted_part
from workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}  # messages are asserted in English; zh is the default
ACTIONS = BUTTON_ORDER  # one POST route each


@pytest.fixture(autouse=True)
def _issue_setup(world, categories, calendar_2026, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


# --- helpers -------------------------------------------------------------------------------------
def as_user(api, user):
    # A fresh instance each time: User.roles is cached per instance, as it is per request in real use.
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


def detail_url(issue) -> str:
    return reverse("issue-detail", args=[issue.pk])


def action_url(issue, action: str) -> str:
    return reverse(f"issue-{action}", args=[issue.pk])


def act(api, user, issue, action: str, data=None):
    return as_user(api, user).post(action_url(issue, action), data or {}, format="json", **EN)


def ok(response, code: int = 200) -> dict:
    assert response.status_code == code, response.content
    return response.json()


def joint(world) -> dict:
    """issue_in's options for joint handling as the cases here have it: dept_a (chain_a's lead unit)
    leads, dept_b and the town co-handle."""
    return {"mode": "joint", "co": [world.dept_b, world.town]}


# How a case's issue is handled, by the name its table gives.
HANDLING = {
    "transfer": lambda world: {},
    "joint": joint,
    "extension asked": lambda world: {"extension": "pending"},
}


def snapshot(issue) -> tuple:
    """Everything an action could write."""
    return (
        Issue.objects.filter(pk=issue.pk).values().get(),
        list(IssueShare.objects.filter(issue=issue).order_by("pk").values()),
        list(ExtensionRequest.objects.filter(issue=issue).order_by("pk").values()),
        IssueEvent.objects.filter(issue=issue).count(),
        Rating.objects.filter(issue=issue).count(),
        Notification.objects.count(),
    )


def stored_files(settings) -> list:
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def event_actions(api, user, issue) -> list[str]:
    body = ok(as_user(api, user).get(reverse("issue-events", args=[issue.pk])))
    return [event["action"] for event in body["results"]]


# --- the whole flows -----------------------------------------------------------------------------
def test_transfer_flow_over_http(api, world):
    created = ok(
        as_user(api, world.contact_a).post(
            reverse("issue-list"),
            {"enterprise": world.ent_a1.pk, "category": "request", "title": "用地审批慢", "description": "超过三个月"},
            format="json",
        ),
        201,
    )
    issue = Issue.objects.get(pk=created["id"])
    assert re.fullmatch(r"LZ-\d{4}-\d{6}", created["number"])
    assert created["status"] == "submitted"
    assert created["chain"] == {"id": world.chain_a.pk, "name": world.chain_a.name}
    assert created["allowed_actions"] == ["comment"]
    assert created["deadlines"]["accept_due_at"] is not None
    assert created["suggested_lead_unit"] is None  # for staff only

    seen = ok(as_user(api, world.staff).get(detail_url(issue)))
    assert seen["allowed_actions"] == ["accept", "reject", "comment"]
    # No routing rule yet: the chain's lead unit is suggested.
    assert seen["suggested_lead_unit"] == {"id": world.dept_a.pk, "name": world.dept_a.name}

    assert ok(act(api, world.staff, issue, "accept", {"note": "受理"}))["status"] == "accepted"
    body = ok(
        act(api, world.staff, issue, "dispatch", {"mode": "transfer", "lead_unit": world.dept_a.pk, "note": "请办理"})
    )
    assert body["status"] == "dispatched"
    assert body["dispatch_mode"] == "transfer"
    assert [(a["unit"]["id"], a["role"], a["status"]) for a in body["shares"]] == [(world.dept_a.pk, "lead", "pending")]
    assert body["deadlines"]["sign_due_at"]
    assert body["deadlines"]["resolve_due_at"]

    queue = ok(as_user(api, world.handler_a).get(reverse("issue-list"), {"unit": world.dept_a.pk}))
    assert [row["id"] for row in queue["results"]] == [issue.pk]
    assert ok(as_user(api, world.handler_a).get(detail_url(issue)))["allowed_actions"] == [
        "sign",
        "return",
        "comment",
    ]
    assert ok(act(api, world.handler_a, issue, "sign"))["status"] == "in_progress"

    due_before = Issue.objects.get(pk=issue.pk).resolve_due_at
    body = ok(act(api, world.handler_a, issue, "request-extension", {"days": 3, "reason": "需协调国土部门"}))
    assert [(e["days"], e["status"]) for e in body["extension_requests"]] == [(3, "pending")]
    body = ok(act(api, world.staff, issue, "decide-extension", {"grant": True, "note": "同意"}))
    assert [e["status"] for e in body["extension_requests"]] == ["granted"]
    assert Issue.objects.get(pk=issue.pk).resolve_due_at == add_working_days(due_before, 3)

    ok(act(api, world.contact_a, issue, "comment", {"text": "请尽快", "public": True}))
    body = ok(act(api, world.handler_a, issue, "resolve", {"answer": "已协调自然资源部门加快审批"}))
    assert body["status"] == "resolved"
    assert body["answer"] == "已协调自然资源部门加快审批"
    assert body["deadlines"]["rate_due_at"] is not None
    assert ok(as_user(api, world.contact_a).get(detail_url(issue)))["allowed_actions"] == ["rate", "comment"]

    # 不满意 reopens it, counted; the lead answers again; 满意 closes it.
    body = ok(
        act(
            api,
            world.contact_a,
            issue,
            "rate",
            {"satisfaction": "unsatisfied", "reason_codes": ["not_solved"], "comment": "仍未批复"},
        )
    )
    assert (body["status"], body["reopen_count"]) == ("in_progress", 1)
    ok(act(api, world.handler_a, issue, "resolve", {"answer": "已取得批复"}))
    body = ok(act(api, world.contact_a, issue, "rate", {"satisfaction": "satisfied"}))
    assert body["status"] == "closed"
    assert [r["satisfaction"] for r in body["ratings"]] == ["unsatisfied", "satisfied"]
    assert body["allowed_actions"] == ["comment"]

    everything = [
        "submit",
        "accept",
        "dispatch",
        "sign",
        "request-extension",
        "extend",  # the new deadline, for the enterprise to see
        "decide-extension",
        "comment",
        "resolve",
        "rate",
        "resolve",
        "rate",
    ]
    assert event_actions(api, world.staff, issue) == everything
    # The enterprise does not see the internal entries (extension request and decision); it sees
    # its deadline moved.
    assert event_actions(api, world.contact_a, issue) == [
        a for a in everything if a not in ("request-extension", "decide-extension")
    ]


def test_joint_flow_over_http(api, world):
    created = ok(
        as_user(api, world.secretary_a).post(
            reverse("issue-list"),
            {
                "enterprise": world.ent_a1.pk,
                "category": "complaint",
                "title": "多头检查",
                "description": "一月三次检查",
            },
            format="json",
        ),
        201,
    )
    issue = Issue.objects.get(pk=created["id"])
    ok(act(api, world.staff, issue, "accept"))
    body = ok(
        act(
            api,
            world.staff,
            issue,
            "dispatch",
            {"mode": "joint", "lead_unit": world.dept_a.pk, "co_units": [world.dept_b.pk, world.town.pk]},
        )
    )
    assert sorted((a["unit"]["id"], a["role"]) for a in body["shares"]) == sorted(
        [(world.dept_a.pk, "lead"), (world.dept_b.pk, "co"), (world.town.pk, "co")]
    )
    # The co-handling units sign and write their parts; the lead signs.
    assert ok(as_user(api, world.handler_b).get(detail_url(issue)))["allowed_actions"] == ["sign", "return", "comment"]
    ok(act(api, world.handler_b, issue, "sign"))
    assert ok(as_user(api, world.handler_b).get(detail_url(issue)))["allowed_actions"] == [
        "return",
        "reply-part",
        "comment",
    ]
    ok(act(api, world.handler_b, issue, "reply-part", {"reply": "B部门：已排查"}))
    body = ok(act(api, world.handler_a, issue, "sign"))
    assert body["status"] == "in_progress"
    assert "resolve" not in body["allowed_actions"]  # the town has not written its part yet
    ok(act(api, world.handler_town, issue, "sign"))
    ok(act(api, world.handler_town, issue, "reply-part", {"reply": "镇街：合并检查"}))
    assert "resolve" in ok(as_user(api, world.handler_a).get(detail_url(issue)))["allowed_actions"]
    body = ok(act(api, world.handler_a, issue, "resolve", {"answer": "已合并为每季一次联合检查"}))
    assert body["status"] == "resolved"

    # The co-units' parts are internal: staff read them, the enterprise side does not.
    def replies(user):
        body = ok(as_user(api, user).get(detail_url(issue)))
        return {(a["unit"]["id"], a["role"]): a["reply"] for a in body["shares"]}

    assert replies(world.staff) == {
        (world.dept_a.pk, "lead"): "已合并为每季一次联合检查",
        (world.dept_b.pk, "co"): "B部门：已排查",
        (world.town.pk, "co"): "镇街：合并检查",
    }
    assert replies(world.contact_a) == {
        (world.dept_a.pk, "lead"): "已合并为每季一次联合检查",
        (world.dept_b.pk, "co"): "",
        (world.town.pk, "co"): "",
    }
    # The first secretary submitted it and rates it.
    body = ok(act(api, world.secretary_a, issue, "rate", {"satisfaction": "basically"}))
    assert body["status"] == "closed"
    assert event_actions(api, world.staff, issue) == [
        "submit",
        "accept",
        "dispatch",
        "sign",
        "reply-part",
        "sign",
        "sign",
        "reply-part",
        "resolve",
        "rate",
    ]
    assert "reply-part" not in event_actions(api, world.contact_a, issue)


def test_a_co_unit_return_drops_only_its_part_and_the_lead_return_goes_back_to_the_dispatcher(api, world):
    issue = issue_in(world, "dispatched", **joint(world))
    # Done, and the town's share is history: the issue is out of its sight now (204, then 404).
    response = act(api, world.handler_town, issue, "return", {"reason": "不属于本镇街职责"})
    assert response.status_code == 204, response.content
    assert as_user(api, world.handler_town).get(detail_url(issue)).status_code == 404
    body = ok(as_user(api, world.staff).get(detail_url(issue)))
    assert body["status"] == "dispatched"
    assert {(a["unit"]["id"], a["status"]) for a in body["shares"]} >= {(world.town.pk, "returned")}
    assert act(api, world.handler_a, issue, "return", {"reason": "应由B部门牵头"}).status_code == 204
    body = ok(as_user(api, world.staff).get(detail_url(issue)))
    assert body["status"] == "accepted"
    assert body["lead_unit"] is None
    assert ok(as_user(api, world.staff).get(detail_url(issue)))["allowed_actions"] == ["dispatch", "comment"]


def test_supervise_an_escalated_issue(api, world):
    issue = issue_in(world, "in_progress", escalation=3)
    reply_by = timezone.localdate() + timedelta(days=3)
    body = ok(
        act(
            api,
            world.staff,
            issue,
            "supervise",
            {"instruction": "请三日内办结", "reply_by": str(reply_by), "report": True},
        )
    )
    assert body["supervised_at"] is not None
    [supervision] = body["supervisions"]
    assert (supervision["instruction"], supervision["reply_by"], supervision["overdue"]) == (
        "请三日内办结",
        reply_by.isoformat(),
        False,
    )
    event = IssueEvent.objects.filter(issue=issue, action="supervise").get()
    assert (event.public, event.data["report"]) == (False, True)


# --- refused transitions: 409, nothing written -----------------------------------------------------
REFUSED = [
    # (case, state, handling, who, action, body, allowed now)
    ("accept twice", "accepted", "transfer", "staff", "accept", {}, ["dispatch", "comment"]),
    ("dispatch before accept", "submitted", "transfer", "staff", "dispatch", {}, ["accept", "reject", "comment"]),
    ("reject once accepted", "accepted", "transfer", "staff", "reject", {"reason": "重复"}, ["dispatch", "comment"]),
    ("dispatch twice", "dispatched", "transfer", "staff", "dispatch", {"mode": "transfer"}, ["comment"]),
    (
        "resolve before sign",
        "dispatched",
        "transfer",
        "handler_a",
        "resolve",
        {"answer": "已办"},
        ["sign", "return", "comment"],
    ),
    (
        "sign twice",
        "in_progress",
        "transfer",
        "handler_a",
        "sign",
        {},
        ["return", "request-extension", "resolve", "comment"],
    ),
    (
        "rate while in progress",
        "in_progress",
        "transfer",
        "contact_a",
        "rate",
        {"satisfaction": "satisfied"},
        ["comment"],
    ),
    (
        "decide-extension with none pending",
        "in_progress",
        "transfer",
        "staff",
        "decide-extension",
        {"grant": True},
        ["comment"],
    ),
    (
        "supervise before escalation",
        "in_progress",
        "transfer",
        "staff",
        "supervise",
        {"instruction": "督办"},
        ["comment"],
    ),
    (
        "second extension request while one is pending",
        "in_progress",
        "extension asked",
        "handler_a",
        "request-extension",
        {"days": 2, "reason": "再延"},
        ["return", "resolve", "comment"],
    ),
    (
        "resolve in joint handling before the co-units replied",
        "in_progress",
        "joint",
        "handler_a",
        "resolve",
        {"answer": "已办"},
        ["return", "request-extension", "comment", "urge"],  # the lead urges the co-unit instead
    ),
    (
        "co-unit replies before signing its part",
        "in_progress",
        "joint",
        "handler_b",
        "reply-part",
        {"reply": "已办"},
        ["sign", "return", "comment"],
    ),
    ("rate a closed issue", "closed", "transfer", "contact_a", "rate", {"satisfaction": "satisfied"}, ["comment"]),
    ("sign a closed issue", "closed", "transfer", "handler_a", "sign", {}, ["comment"]),
]


@pytest.mark.parametrize(
    ("state", "handling", "who", "action", "body", "allowed"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
def test_refused_transition_is_409_with_allowed_actions_and_writes_nothing(
    api, world, state, handling, who, action, body, allowed
):
    issue = issue_in(world, state, **HANDLING[handling](world))
    before = snapshot(issue)
    response = act(api, getattr(world, who), issue, action, body)
    assert response.status_code == 409, response.content
    answer = response.json()
    assert answer["code"] == "invalid_transition"
    assert answer["allowed_actions"] == allowed
    # A guard of the table that says why (the ladder's rung here) says it; the rest name the state.
    why = WHY.get((state, handling, action), "is not possible while the issue is")
    assert why in answer["detail"]
    assert snapshot(issue) == before


WHY = {
    ("in_progress", "transfer", "supervise"): "The issue reaches you at escalation level 1; it is at level 0.",
    ("in_progress", "joint", "resolve"): "Waiting for the part of 经济部门B、镇街C.",
}


def test_the_state_is_checked_before_the_body(api, world):
    """A 409 does not depend on what was sent: an empty dispatch of a dispatched issue is a 409."""
    issue = issue_in(world, "dispatched")
    assert act(api, world.staff, issue, "dispatch", {}).status_code == 409
    assert act(api, world.staff, issue, "dispatch", "not json").status_code == 409


# --- 403 on a visible issue ------------------------------------------------------------------------
FORBIDDEN = [
    ("contact trying to dispatch", "accepted", "transfer", "contact_a", "dispatch", {"mode": "transfer"}),
    ("chain leader trying to accept", "submitted", "transfer", "leader_a", "accept", {}),
    # The lead unit has no co-handling part: reply-part is never its action (403, not 409).
    ("reply-part by the lead", "in_progress", "joint", "handler_a", "reply-part", {"reply": "已办"}),
    ("staff trying to sign", "dispatched", "transfer", "staff", "sign", {}),
    ("first secretary trying to resolve", "in_progress", "transfer", "secretary_a", "resolve", {"answer": "x"}),
    ("park chief trying to rate", "resolved", "transfer", "chief_a", "rate", {"satisfaction": "satisfied"}),
    ("co-unit trying to request an extension", "in_progress", "joint", "handler_b", "request-extension", {"days": 2}),
]


@pytest.mark.parametrize(
    ("state", "handling", "who", "action", "body"),
    [case[1:] for case in FORBIDDEN],
    ids=[case[0] for case in FORBIDDEN],
)
def test_action_not_permitted_on_a_visible_issue_is_403_and_writes_nothing(
    api, world, state, handling, who, action, body
):
    issue = issue_in(world, state, **HANDLING[handling](world))
    user = getattr(world, who)
    assert as_user(api, user).get(detail_url(issue)).status_code == 200  # it is visible
    before = snapshot(issue)
    response = act(api, user, issue, action, body)
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "permission_denied"
    assert snapshot(issue) == before


def test_sign_before_dispatch_is_refused_and_writes_nothing(api, world):
    """Before dispatch no unit has a share: the unit cannot see the issue (404); once the lead has
    returned it, its share is history and the issue is out of its sight again (404)."""
    issue = issue_in(world, "accepted")
    before = snapshot(issue)
    assert act(api, world.handler_a, issue, "sign").status_code == 404
    assert act(api, world.staff, issue, "sign").status_code == 403
    assert snapshot(issue) == before
    services.dispatch_issue(issue_id=issue.pk, actor=world.staff, mode="transfer", lead_unit_id=world.dept_a.pk)
    services.return_issue(issue_id=issue.pk, actor=world.handler_a, reason="非本单位职责")
    before = snapshot(issue)
    response = act(api, world.handler_a, issue, "sign")
    assert response.status_code == 404
    assert snapshot(issue) == before


def test_anonymous_requests_are_refused(api, world):
    issue = issue_in(world, "submitted")
    client = api
    assert client.get(reverse("issue-list")).status_code == 401
    assert client.get(detail_url(issue)).status_code == 401
    assert client.post(action_url(issue, "accept"), {}, format="json").status_code == 401
    assert client.get(reverse("routing-rule-list")).status_code == 401
    assert client.get(reverse("unit-kpis", args=[world.dept_a.pk])).status_code == 401
    assert Issue.objects.get(pk=issue.pk).status == "submitted"


def test_internal_comment_from_the_enterprise_side_is_refused(api, world):
    issue = issue_in(world, "in_progress")
    before = snapshot(issue)
    response = act(api, world.contact_a, issue, "comment", {"text": "内部", "public": False})
    assert response.status_code == 400
    assert "public" in response.json()["errors"]
    assert snapshot(issue) == before


# --- 404 outside scope, on every route ------------------------------------------------------------
OUTSIDERS = ["contact_a", "secretary_a", "chief_a", "leader_a", "handler_a", "handler_town", "security", "auditor"]


@pytest.fixture
def issue_b(world):
    """ent_b1's issue (chain_b), transferred to dept_b and signed for."""
    return issue_in(world, "in_progress", enterprise=world.ent_b1)


@pytest.mark.parametrize("who", [*OUTSIDERS, "outsider"])
def test_issue_outside_scope_is_404_on_every_route(api, world, issue_b, who):
    user = getattr(world, who)
    client = as_user(api, user)
    before = snapshot(issue_b)
    assert client.get(detail_url(issue_b)).status_code == 404
    assert client.get(reverse("issue-events", args=[issue_b.pk])).status_code == 404
    for action in ACTIONS:
        response = client.post(action_url(issue_b, action), {"note": "x", "reason": "x"}, format="json")
        assert response.status_code == 404, (action, response.content)
        assert response.json() == {"code": "not_found", "detail": response.json()["detail"]}
    assert client.get(reverse("issue-list")).json()["results"] == []
    assert snapshot(issue_b) == before


@pytest.mark.parametrize("who", ["staff", "contact_b", "leader_b", "handler_b"])
def test_issue_in_scope_is_visible(api, world, issue_b, who):
    client = as_user(api, getattr(world, who))
    assert ok(client.get(detail_url(issue_b)))["id"] == issue_b.pk
    assert [row["id"] for row in ok(client.get(reverse("issue-list")))["results"]] == [issue_b.pk]


def test_escalation_opens_the_issue_to_the_industry_committee(api, world):
    # The escalated one first: the sweep that lifts it acts on every issue there is.
    escalated = issue_in(world, "in_progress", escalation=1)
    calm = issue_in(world, "in_progress")
    committee = User.objects.create(username="handler_ic", unit=world.ic_a)
    committee.groups.add(*User.objects.get(pk=world.handler_a.pk).groups.all())
    assert as_user(api, committee).get(detail_url(calm)).status_code == 404
    assert ok(as_user(api, committee).get(detail_url(escalated)))["escalation_level"] == 1


# --- creation: bad input, attachments, idempotency -------------------------------------------------
def payload(world, **overrides) -> dict:
    return {
        "enterprise": world.ent_a1.pk,
        "category": "request",
        "title": "用地审批慢",
        "description": "厂房扩建用地审批超过三个月",
        **overrides,
    }


def pdf(name: str = "说明.pdf", size: int = 100) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4" + b"0" * (size - 8), content_type="application/pdf")


def post_issue(api, user, data, *, multipart=False, **headers):
    client = as_user(api, user)
    if multipart:
        return client.post(reverse("issue-list"), data, format="multipart", **EN, **headers)
    return client.post(reverse("issue-list"), data, format="json", **EN, **headers)


BAD_JSON = [
    ("unknown category", {"category": "no-such"}, "category", "Unknown category"),
    ("enterprise outside scope", {"enterprise": "ent_b1"}, "enterprise", "Choose an enterprise you may submit for"),
    ("enterprise not a number", {"enterprise": "abc"}, "enterprise", "A valid integer is required"),
    ("empty title", {"title": "   "}, "title", "This field is required"),
    ("title of 201 characters", {"title": "题" * 201}, "title", "At most 200 characters"),
    ("description of 10,001 characters", {"description": "述" * 10_001}, "description", "At most 10000 characters"),
    ("chain the enterprise is not on", {"chain": "chain_b"}, "chain", "The enterprise is not on this chain"),
]


@pytest.mark.parametrize(
    ("overrides", "field", "message"), [case[1:] for case in BAD_JSON], ids=[case[0] for case in BAD_JSON]
)
def test_bad_submission_is_400_naming_the_field_and_stores_nothing(api, world, settings, overrides, field, message):
    overrides = {
        key: (getattr(world, value).pk if isinstance(value, str) and hasattr(world, value) else value)
        for key, value in overrides.items()
    }
    response = post_issue(api, world.contact_a, payload(world, **overrides))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert message in " ".join(body["errors"][field])
    assert (Issue.objects.count(), IssueEvent.objects.count(), Notification.objects.count()) == (0, 0, 0)


BAD_FILES = [
    ("disallowed type", lambda: [SimpleUploadedFile("setup.exe", b"MZ" * 10)], "this file type is not allowed"),
    ("file over 20 MB", lambda: [pdf("big.pdf", 20 * 1024 * 1024 + 1)], "a file may be at most 20 MB"),
    ("eleven files", lambda: [pdf(f"f{i}.pdf") for i in range(11)], "At most 10 files"),
]


@pytest.mark.parametrize(("files", "message"), [case[1:] for case in BAD_FILES], ids=[case[0] for case in BAD_FILES])
def test_bad_attachments_are_400_and_nothing_is_stored(api, world, settings, files, message):
    response = post_issue(api, world.contact_a, {**payload(world), "attachments": files()}, multipart=True)
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()["errors"]["attachments"])
    assert (Issue.objects.count(), Attachment.objects.count()) == (0, 0)
    assert stored_files(settings) == []


def test_malformed_json_is_400_and_stores_nothing(api, world):
    client = as_user(api, world.contact_a)
    response = client.post(reverse("issue-list"), '{"title": "未闭合', content_type="application/json", **EN)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "malformed_request"
    assert "JSON parse error" in body["detail"]
    assert Issue.objects.count() == 0


def test_a_user_without_a_submitting_role_cannot_submit(api, world):
    assert post_issue(api, world.handler_a, payload(world)).status_code == 403
    assert post_issue(api, world.leader_a, payload(world)).status_code == 403
    assert Issue.objects.count() == 0


def test_attachments_are_stored_under_random_names_and_listed(api, world, settings):
    response = post_issue(
        api,
        world.contact_a,
        {**payload(world), "attachments": [pdf("../../etc/passwd.pdf"), pdf("现场照片.pdf", 300)]},
        multipart=True,
    )
    body = ok(response, 201)
    stored = {a.original_name: a for a in Attachment.objects.filter(issue_id=body["id"])}
    assert set(stored) == {"passwd.pdf", "现场照片.pdf"}
    for attachment in stored.values():
        assert "/" not in attachment.original_name
        assert ".." not in attachment.original_name
        assert re.fullmatch(r"[0-9a-f]{32}\.pdf", attachment.stored_name)
        assert attachment.file.name == f"issues/{body['id']}/{attachment.stored_name}"
    root = settings.MEDIA_ROOT
    assert sorted(str(p.relative_to(root)) for p in stored_files(settings)) == sorted(
        f"issues/{body['id']}/{a.stored_name}" for a in stored.values()
    )
    assert sorted((a["name"], a["size"], a["download_url"]) for a in body["attachments"]) == sorted(
        (a.original_name, a.size, f"/issues/attachments/{a.pk}/") for a in stored.values()
    )


def test_idempotency_key_returns_the_same_issue(api, world):
    first = post_issue(api, world.contact_a, payload(world), HTTP_IDEMPOTENCY_KEY="retry-1")
    again = post_issue(api, world.contact_a, payload(world), HTTP_IDEMPOTENCY_KEY="retry-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert "Idempotent-Replayed" not in first
    assert again["Idempotent-Replayed"] == "true"
    assert (Issue.objects.count(), IssueEvent.objects.count()) == (1, 1)
    # The key is the user's: another user with the same key, or no key at all, is a new issue.
    other = post_issue(api, world.secretary_a, payload(world), HTTP_IDEMPOTENCY_KEY="retry-1")
    assert other.status_code == 201
    assert other.json()["id"] != first.json()["id"]
    assert post_issue(api, world.contact_a, payload(world)).status_code == 201
    assert Issue.objects.count() == 3


def test_idempotency_key_reused_with_another_request_is_a_422_and_writes_nothing(api, world):
    first = post_issue(api, world.contact_a, payload(world), HTTP_IDEMPOTENCY_KEY="retry-2")
    other = post_issue(api, world.contact_a, {**payload(world), "title": "另一件事"}, HTTP_IDEMPOTENCY_KEY="retry-2")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert first.json()["number"] in other.json()["detail"]
    assert (Issue.objects.count(), IssueEvent.objects.count()) == (1, 1)


def test_an_idempotency_key_is_free_again_after_24_hours(api, world):
    first = post_issue(api, world.contact_a, payload(world), HTTP_IDEMPOTENCY_KEY="retry-3")
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        later = post_issue(api, world.contact_a, {**payload(world), "title": "次日"}, HTTP_IDEMPOTENCY_KEY="retry-3")
    assert later.status_code == 201
    assert "Idempotent-Replayed" not in later
    assert later.json()["id"] != first.json()["id"]
    assert Issue.objects.get(pk=first.json()["id"]).idempotency_key is None


def test_idempotency_key_over_100_characters_is_refused(api, world):
    response = post_issue(api, world.contact_a, payload(world), HTTP_IDEMPOTENCY_KEY="k" * 101)
    assert response.status_code == 400
    assert "idempotency_key" in response.json()["errors"]
    assert Issue.objects.count() == 0


def test_action_bad_input_is_400_naming_the_field(api, world):
    issue = issue_in(world, "accepted")
    before = snapshot(issue)
    response = act(api, world.staff, issue, "dispatch", {"mode": "joint", "lead_unit": world.dept_a.pk})
    assert response.status_code == 400
    assert "co_units" in response.json()["errors"]
    response = act(api, world.staff, issue, "dispatch", {"mode": "transfer", "lead_unit": "dept"})
    assert response.status_code == 400
    assert "lead_unit" in response.json()["errors"]
    assert snapshot(issue) == before
    fresh = issue_in(world, "submitted")
    before = snapshot(fresh)
    response = act(api, world.staff, fresh, "reject", {"reason": " "})
    assert response.json()["errors"] == {"reason": ["This field is required."]}
    assert snapshot(fresh) == before


# --- the list: filters, bad values, query counts ---------------------------------------------------
@pytest.fixture
def spread(world):
    """Issues spread over every filter, named by what sets them apart. "transfer" comes first: raised
    in March, it is overdue and escalated by the sweep, which acts on every issue there is."""
    return {
        "transfer": issue_in(world, "in_progress", at=at(3, 2), escalation=1),
        "new_a": issue_in(world, title="新"),
        "b": issue_in(world, enterprise=world.ent_b1, category="inquiry", title="乙", at=at(2, 28, 23, 30)),
        "joint": issue_in(world, "dispatched", **joint(world)),
        "a2": issue_in(world, enterprise=world.ent_a2, category="complaint", title="甲二", at=at(3, 1, 0, 30)),
    }


def listed(api, user, **params) -> set[int]:
    body = ok(as_user(api, user).get(reverse("issue-list"), params))
    return {row["id"] for row in body["results"]}


def test_list_filters(api, world, spread):
    ids = {name: issue.pk for name, issue in spread.items()}

    def names(**params):
        return {name for name, pk in ids.items() if pk in listed(api, world.staff, **params)}

    assert names() == set(ids)
    assert names(status="submitted") == {"new_a", "b", "a2"}
    assert names(status="in_progress") == {"transfer"}
    assert names(chain=world.chain_b.pk) == {"b"}
    assert names(category="inquiry") == {"b"}
    assert names(category="complaint") == {"a2"}
    assert names(unit=world.dept_a.pk) == {"transfer", "joint"}
    assert names(unit=world.town.pk) == {"joint"}
    assert names(enterprise=world.ent_a2.pk) == {"a2"}
    assert names(overdue="true") == {"transfer"}
    assert names(overdue="false") == set(ids) - {"transfer"}
    assert names(escalation_level=1) == {"transfer"}
    assert names(escalation_level=0) == set(ids) - {"transfer"}
    # Dates are Asia/Shanghai days, both ends included.
    assert names(created_before="2026-02-28") == {"b"}
    assert names(created_after="2026-03-01", created_before="2026-03-01") == {"a2"}
    assert names(created_after="2026-03-02") == {"new_a", "transfer", "joint"}
    # The unit's handler sees only what was dispatched to it, whatever it asks for.
    assert listed(api, world.handler_b) == {ids["joint"]}
    assert listed(api, world.handler_b, unit=world.dept_a.pk) == {ids["joint"]}


@pytest.mark.parametrize("who", ["staff", "handler_a", "leader_a", "contact_a"])
def test_the_list_rows_are_what_the_list_serializer_gives(api, world, spread, who):
    # The list builds its rows from values (issues.serializers.issue_list_rows); the documented shape
    # is IssueListSerializer's over the selector's instances, which the rows must equal: references
    # present and empty (no chain, lead unit or number), deadlines set and not.
    Issue.objects.filter(pk=spread["new_a"].pk).update(chain=None, number=None)
    user = User.objects.get(pk=getattr(world, who).pk)
    body = ok(as_user(api, user).get(reverse("issue-list")))
    expected = IssueListSerializer(selectors.list_issues_for_user(user), many=True).data
    assert body["results"] == json.loads(JSONRenderer().render(expected))
    assert body["results"]


def test_the_filtered_list_counts_without_the_pages_joins(api, world, spread):
    # The page reads its references as values across relations (joins); the count, in the page's
    # statement, is the filtered queryset's own, which needs none of them (chainparty.api.ValuesPaginator).
    with CaptureQueriesContext(connection) as captured:
        assert ok(as_user(api, world.staff).get(reverse("issue-list"), {"status": "submitted"}))["count"] == 3
    assert "JOIN" not in counted_part(captured), captured.captured_queries


BAD_FILTERS = [
    ("status", "open"),
    ("chain", "abc"),
    ("chain", "1.5"),
    ("category", "no-such"),
    ("unit", "x"),
    ("enterprise", "-"),
    ("overdue", "maybe"),
    ("escalation_level", "7"),
    ("created_after", "2026-13-01"),
    ("created_before", "yesterday"),
]


@pytest.mark.parametrize(("field", "value"), BAD_FILTERS)
def test_bad_filter_value_is_400_naming_the_filter(api, world, field, value):
    response = as_user(api, world.staff).get(reverse("issue-list"), {field: value}, **EN)
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]


def test_a_chain_outside_scope_is_not_a_valid_filter_as_on_the_page(api, world, spread):
    response = as_user(api, world.leader_a).get(reverse("issue-list"), {"chain": world.chain_b.pk}, **EN)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["chain"]
    assert listed(api, world.leader_a, chain=world.chain_a.pk) == listed(api, world.leader_a)


def test_min_escalation_level_lists_what_climbed_that_far(api, world):
    # The highest rung first: the sweep that lifts an issue acts on every issue there is, and a lower
    # rung's sweep, earlier, leaves the others where they are.
    third = issue_in(world, "dispatched", escalation=3, **joint(world))
    first = issue_in(world, "in_progress", escalation=1)
    issue_in(world, "submitted")
    issue_in(world, "in_progress")
    assert listed(api, world.staff, min_escalation_level=1) == {first.pk, third.pk}
    assert listed(api, world.staff, min_escalation_level=3) == {third.pk}


def _many_issues(world, count: int) -> None:
    """`count` issues for ent_a1, each dispatched to dept_a leading with the town co-handling."""
    for index in range(count):
        issue_in(world, "dispatched", mode="joint", co=[world.town], title=f"问题{index}", description="说明")


@pytest.mark.parametrize("who", ["staff", "handler_a", "contact_a", "leader_a"])
def test_list_query_count_does_not_grow_with_rows(api, world, who):
    user = getattr(world, who)

    def run(expected_rows):
        client = as_user(api, user)
        with CaptureQueriesContext(connection) as captured:
            body = ok(client.get(reverse("issue-list"), {"unit": world.dept_a.pk, "category": "request"}))
        assert body["count"] == expected_rows
        return len(captured)

    _many_issues(world, 4)
    small = run(4)
    _many_issues(world, 8)
    assert run(12) == small
    # roles, the category filter's check, the page with its count
    assert small == 3


def test_events_query_count_does_not_grow(api, world, django_assert_num_queries):
    issue = issue_in(world, "in_progress")
    client = as_user(api, world.staff)
    with CaptureQueriesContext(connection) as few:
        ok(client.get(reverse("issue-events", args=[issue.pk])))
    for index in range(10):
        services.comment_on_issue(issue_id=issue.pk, actor=world.staff, text=f"意见{index}")
    client = as_user(api, world.staff)
    with django_assert_num_queries(len(few)):
        ok(client.get(reverse("issue-events", args=[issue.pk])))


def test_detail_query_count_does_not_grow_with_shares_and_files(api, world, django_assert_num_queries):
    issue = issue_in(world, "in_progress", **joint(world))
    client = as_user(api, world.handler_a)
    with CaptureQueriesContext(connection) as few:
        ok(client.get(detail_url(issue)))
    for index in range(5):
        Attachment.objects.create(
            issue=issue,
            file=f"issues/{issue.pk}/x{index}.pdf",
            original_name=f"x{index}.pdf",
            stored_name=f"x{index}.pdf",
            content_type="application/pdf",
            size=1,
            uploaded_by=world.contact_a,
        )
        Rating.objects.create(issue=issue, rated_by=world.contact_a, satisfaction="unsatisfied")
    client = as_user(api, world.handler_a)
    with django_assert_num_queries(len(few)):
        ok(client.get(detail_url(issue)))


# --- categories, complaint sessions, routing rules ------------------------------------------------
def test_issue_categories(api, world, categories):
    body = ok(as_user(api, world.contact_a).get(reverse("issue-category-list")))
    rows = {row["code"]: row for row in body["results"]}
    assert set(rows) == {"inquiry", "request", "complaint"}
    assert rows["complaint"] == {
        "code": "complaint",
        "name": str(categories[next(k for k in categories if k.value == "complaint")].name),
        "kind": "complaint",
        "accept_days": 1,
        "sign_days": 1,
        "resolve_days": 15,
        "rate_days": 5,
    }
    assert ok(as_user(api, world.staff).get(reverse("issue-category-detail", args=["inquiry"])))["resolve_days"] == 2


def session_payload(world, **overrides) -> dict:
    return {
        "title": "生物医药链吐槽大会",
        "held_on": "2026-11-20",
        "place": "科学城会议中心",
        "host_unit": world.dept_a.pk,
        "chain": world.chain_a.pk,
        **overrides,
    }


def test_staff_create_a_complaint_session_and_others_cannot(api, world):
    body = ok(
        as_user(api, world.staff).post(reverse("complaint-session-list"), session_payload(world), format="json"), 201
    )
    assert (body["title"], body["host_unit"]["id"], body["chain"]["id"], body["issue_count"]) == (
        "生物医药链吐槽大会",
        world.dept_a.pk,
        world.chain_a.pk,
        0,
    )
    response = as_user(api, world.handler_a).post(
        reverse("complaint-session-list"), session_payload(world), format="json"
    )
    assert response.status_code == 403
    assert ComplaintSession.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"place": " "}, "place"),
        ({"held_on": "2026-02-30"}, "held_on"),
        ({"host_unit": None}, "host_unit"),
        ({"chain": None}, "chain"),
        ({"chain": 999_999}, "chain"),
        ({"industry_committee": 999_999}, "industry_committee"),
    ],
)
def test_bad_complaint_session_is_400_naming_the_field(api, world, overrides, field):
    response = as_user(api, world.staff).post(
        reverse("complaint-session-list"), session_payload(world, **overrides), format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert ComplaintSession.objects.count() == 0


@pytest.fixture
def session(world):
    return complaint_session(world, host=world.dept_a)


@pytest.mark.parametrize(("who", "sees"), [("staff", True), ("handler_a", True), ("handler_b", False)])
def test_complaint_sessions_are_for_staff_and_the_units_involved(api, world, session, who, sees):
    client = as_user(api, getattr(world, who))
    rows = ok(client.get(reverse("complaint-session-list")))["results"]
    assert [row["id"] for row in rows] == ([session.pk] if sees else [])
    assert client.get(reverse("complaint-session-detail", args=[session.pk])).status_code == (200 if sees else 404)


@pytest.mark.parametrize("who", ["contact_a", "leader_a", "secretary_a", "outsider"])
def test_complaint_session_is_404_for_others(api, world, session, who):
    client = as_user(api, getattr(world, who))
    assert client.get(reverse("complaint-session-detail", args=[session.pk])).status_code == 404
    response = client.post(reverse("complaint-session-issues", args=[session.pk]), {"rows": []}, format="json")
    assert response.status_code == 404


def test_a_dispatched_session_issue_opens_the_session_to_its_unit(api, world, session):
    (issue,) = services.submit_session_issues(
        actor=world.staff,
        session=session,
        rows=[{"enterprise": world.ent_a1.pk, "category": "request", "title": "题", "description": "述"}],
    )
    assert as_user(api, world.handler_b).get(reverse("complaint-session-detail", args=[session.pk])).status_code == 404
    services.accept_issue(issue_id=issue.pk, actor=world.staff)
    services.dispatch_issue(issue_id=issue.pk, actor=world.staff, mode="transfer", lead_unit_id=world.dept_b.pk)
    body = ok(as_user(api, world.handler_b).get(reverse("complaint-session-detail", args=[session.pk])))
    assert body["issue_count"] == 1


def row(world, **overrides) -> dict:
    return {"enterprise": world.ent_a1.pk, "category": "request", "title": "审批慢", "description": "说明", **overrides}


def test_session_rows_are_all_saved(api, world, session):
    rows = [row(world), row(world, enterprise=world.ent_b1.pk, category="inquiry", title="咨询政策")]
    body = ok(
        as_user(api, world.staff).post(
            reverse("complaint-session-issues", args=[session.pk]), {"rows": rows}, format="json"
        ),
        201,
    )
    assert sorted(r["title"] for r in body) == ["咨询政策", "审批慢"]
    assert Issue.objects.filter(session=session).count() == 2


def test_one_bad_session_row_saves_nothing_and_names_the_row(api, world, session):
    rows = [
        row(world),
        row(world, title=""),
        row(world, category="no-such", enterprise="abc"),
        row(world, description="述" * 10_001),
    ]
    response = as_user(api, world.staff).post(
        reverse("complaint-session-issues", args=[session.pk]), {"rows": rows}, format="json", **EN
    )
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert set(errors) == {"rows[2].enterprise"}  # types first: a row that cannot be read at all
    rows[2]["enterprise"] = world.ent_a1.pk
    response = as_user(api, world.staff).post(
        reverse("complaint-session-issues", args=[session.pk]), {"rows": rows}, format="json", **EN
    )
    assert set(response.json()["errors"]) == {"rows[1].title", "rows[2].category", "rows[3].description"}
    assert Issue.objects.count() == 0
    assert IssueEvent.objects.count() == 0


def test_session_rows_must_be_a_list(api, world, session):
    url = reverse("complaint-session-issues", args=[session.pk])
    client = as_user(api, world.staff)
    assert "rows" in client.post(url, {"rows": "x"}, format="json").json()["errors"]
    assert "rows" in client.post(url, {"rows": []}, format="json").json()["errors"]
    assert client.post(url, json.dumps({"rows": [1]}), content_type="application/json").status_code == 400


def test_routing_rules_are_kept_by_staff_and_drive_the_suggestion(api, world):
    client = as_user(api, world.staff)
    url = reverse("routing-rule-list")
    body = ok(
        client.post(url, {"category": "request", "chain": world.chain_a.pk, "unit": world.town.pk}, format="json"), 201
    )
    assert (body["category"], body["chain"], body["unit"], body["unit_name"]) == (
        "request",
        world.chain_a.pk,
        world.town.pk,
        world.town.name,
    )
    issue = issue_in(world)
    assert ok(client.get(detail_url(issue)))["suggested_lead_unit"]["id"] == world.town.pk

    duplicate = client.post(
        url, {"category": "request", "chain": world.chain_a.pk, "unit": world.dept_b.pk}, format="json"
    )
    assert duplicate.status_code == 400
    assert "chain" in duplicate.json()["errors"]
    ok(client.post(url, {"category": "request", "unit": world.dept_b.pk}, format="json"), 201)
    second_default = client.post(url, {"category": "request", "chain": None, "unit": world.dept_a.pk}, format="json")
    assert second_default.status_code == 400
    assert "category" in second_default.json()["errors"]
    unknown = client.post(url, {"category": "no-such", "unit": 999_999}, format="json")
    assert set(unknown.json()["errors"]) == {"category", "unit"}
    assert RoutingRule.objects.count() == 2

    rule = RoutingRule.objects.get(chain=world.chain_a)
    ok(client.patch(reverse("routing-rule-detail", args=[rule.pk]), {"unit": world.dept_a.pk}, format="json"))
    assert ok(client.get(detail_url(issue)))["suggested_lead_unit"]["id"] == world.dept_a.pk
    assert client.delete(reverse("routing-rule-detail", args=[rule.pk])).status_code == 204
    # Without the chain's own rule the category's default applies.
    assert ok(client.get(detail_url(issue)))["suggested_lead_unit"]["id"] == world.dept_b.pk


@pytest.mark.parametrize("who", ["handler_a", "leader_a", "contact_a", "security"])
def test_routing_rules_are_for_staff_only(api, world, who):
    client = as_user(api, getattr(world, who))
    assert client.get(reverse("routing-rule-list")).status_code == 403
    response = client.post(
        reverse("routing-rule-list"), {"category": "request", "unit": world.dept_a.pk}, format="json"
    )
    assert response.status_code == 403
    assert RoutingRule.objects.count() == 0


def test_a_routing_rule_edit_that_clashes_is_400_naming_the_field(api, world):
    client = as_user(api, world.staff)
    url = reverse("routing-rule-list")
    ok(
        client.post(url, {"category": "request", "chain": world.chain_a.pk, "unit": world.dept_a.pk}, format="json"),
        201,
    )
    ok(client.post(url, {"category": "request", "unit": world.dept_b.pk}, format="json"), 201)
    other = ok(
        client.post(url, {"category": "request", "chain": world.chain_b.pk, "unit": world.town.pk}, format="json"), 201
    )
    detail = reverse("routing-rule-detail", args=[other["id"]])
    before = list(RoutingRule.objects.order_by("pk").values())

    onto_chain_a = client.patch(detail, {"chain": world.chain_a.pk}, format="json", **EN)
    assert onto_chain_a.status_code == 400, onto_chain_a.content
    assert onto_chain_a.json()["errors"] == {"chain": ["There is already a rule for this category and chain."]}
    second_default = client.put(
        detail, {"category": "request", "chain": None, "unit": world.town.pk}, format="json", **EN
    )
    assert second_default.status_code == 400, second_default.content
    assert list(second_default.json()["errors"]) == ["category"]
    assert list(RoutingRule.objects.order_by("pk").values()) == before
    # A PATCH keeps what it does not name.
    body = ok(client.patch(detail, {"unit": world.dept_a.pk}, format="json"))
    assert (body["category"], body["chain"], body["unit"]) == ("request", world.chain_b.pk, world.dept_a.pk)


@pytest.mark.parametrize("who", ["handler_a", "leader_a", "contact_a", "outsider"])
def test_the_routing_services_refuse_anyone_but_staff(world, categories, who):
    user = getattr(world, who)
    rule = RoutingRule.objects.create(category=categories["request"], chain=world.chain_a, unit=world.dept_a)
    before = list(RoutingRule.objects.values())
    with pytest.raises(PermissionDenied):
        routing.create_routing_rule(
            actor=user, category_id=categories["inquiry"].pk, chain_id=None, unit_id=world.dept_b.pk
        )
    with pytest.raises(PermissionDenied):
        routing.update_routing_rule(
            actor=user, rule=rule, category_id=rule.category_id, chain_id=None, unit_id=world.town.pk
        )
    with pytest.raises(PermissionDenied):
        routing.delete_routing_rule(actor=user, rule=rule)
    assert list(RoutingRule.objects.values()) == before


def test_the_routing_service_names_each_unknown_reference(world, categories):
    world.town.is_active = False
    world.town.save(update_fields=["is_active"])
    with pytest.raises(DjangoValidationError) as caught:
        routing.create_routing_rule(actor=world.staff, category_id=999_999, chain_id=999_999, unit_id=world.town.pk)
    assert set(caught.value.message_dict) == {"category", "chain", "unit"}
    with pytest.raises(DjangoValidationError) as caught:
        routing.create_routing_rule(actor=world.staff, category_id="x", chain_id=None, unit_id=None)
    assert set(caught.value.message_dict) == {"category", "unit"}
    assert not RoutingRule.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_racing_routing_rules_for_one_category_and_chain_are_one_rule_and_a_400(world, categories):
    """The first request holds its rule uncommitted; the second finds no clash, inserts and waits on
    the unique index; when the first commits, the second is refused on `chain` (not a 500)."""

    def first():
        RoutingRule.objects.create(category=categories["request"], chain=world.chain_a, unit=world.dept_a)

    def second():
        client = as_user(APIClient(), world.staff)
        body = {"category": "request", "chain": world.chain_a.pk, "unit": world.town.pk}
        return client.post(reverse("routing-rule-list"), body, format="json", **EN)

    _, (response,) = race_past_a_lock(first, second)
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"chain": ["There is already a rule for this category and chain."]}
    assert list(RoutingRule.objects.values_list("chain_id", "unit_id")) == [(world.chain_a.pk, world.dept_a.pk)]


# --- what a session, and the enterprise side, may not learn ----------------------------------------
def test_a_session_counts_and_names_only_what_the_unit_may_see(api, world):
    """dept_b hosts a session on chain_a, which dept_b does not see; its three issues are ent_a1's."""
    session = complaint_session(world, host=world.dept_b)
    issues = services.submit_session_issues(
        actor=world.staff,
        session=session,
        rows=[row(world, title=f"问题{index}") for index in range(3)],
    )
    client = as_user(api, world.handler_b)
    assert ok(client.get(reverse("issue-list")))["results"] == []
    (listed_session,) = ok(client.get(reverse("complaint-session-list")))["results"]
    detail = ok(client.get(reverse("complaint-session-detail", args=[session.pk])))
    for body in (listed_session, detail):
        assert (body["id"], body["issue_count"], body["chain"]) == (session.pk, 0, None)
        assert world.chain_a.name not in json.dumps(body, ensure_ascii=False)

    services.accept_issue(issue_id=issues[0].pk, actor=world.staff)
    services.dispatch_issue(issue_id=issues[0].pk, actor=world.staff, mode="transfer", lead_unit_id=world.dept_b.pk)
    detail = ok(as_user(api, world.handler_b).get(reverse("complaint-session-detail", args=[session.pk])))
    assert (detail["issue_count"], detail["chain"]) == (1, None)
    staff = ok(as_user(api, world.staff).get(reverse("complaint-session-detail", args=[session.pk])))
    assert (staff["issue_count"], staff["chain"]) == (3, {"id": world.chain_a.pk, "name": world.chain_a.name})


def _returned_and_redispatched(world) -> Issue:
    """Joint handling (dept_a leads, dept_b and the town co-handle); the town returns its part, then
    the lead returns the issue (the other shares are cancelled); staff transfer it to dept_b."""
    issue = issue_in(world, "dispatched", **joint(world))
    services.return_issue(issue_id=issue.pk, actor=world.handler_town, reason="不属于本镇街职责")
    services.return_issue(issue_id=issue.pk, actor=world.handler_a, reason="应由B部门牵头")
    services.dispatch_issue(issue_id=issue.pk, actor=world.staff, mode="transfer", lead_unit_id=world.dept_b.pk)
    return issue


@pytest.mark.parametrize("who", ["contact_a", "secretary_a", "chief_a"])
def test_the_enterprise_side_does_not_see_returned_or_cancelled_shares(api, world, who):
    issue = _returned_and_redispatched(world)
    staff = ok(as_user(api, world.staff).get(detail_url(issue)))
    assert {a["status"] for a in staff["shares"]} == {"returned", "cancelled", "pending"}
    body = ok(as_user(api, getattr(world, who)).get(detail_url(issue)))
    assert [(a["unit"]["id"], a["role"], a["status"]) for a in body["shares"]] == [(world.dept_b.pk, "lead", "pending")]


@pytest.mark.parametrize(
    ("basename", "grow"),
    [
        ("complaint-session", sessions_with_issues),
        (
            "routing-rule",
            lambda world, n: [
                RoutingRule.objects.create(
                    category=IssueCategory.objects.create(code=f"c{i}-{n}", name="类", kind="request", resolve_days=10),
                    chain=world.chain_a,
                    unit=world.dept_a,
                )
                for i in range(n)
            ],
        ),
    ],
)
def test_session_and_routing_rule_lists_do_not_grow_with_rows(api, world, categories, basename, grow):
    def run():
        with CaptureQueriesContext(connection) as captured:
            ok(as_user(api, world.staff).get(reverse(f"{basename}-list")))
        return len(captured)

    grow(world, 2)
    small = run()
    grow(world, 4)  # three times as many
    assert run() == small
