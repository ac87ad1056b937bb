"""The declared transition table (design §4.6), checked from the outside: what each role may do in each
state, and that every other action is refused — InvalidTransition (409) when the person may take it
but not now, PermissionDenied (403) when the person may never take it — with nothing written."""

import pytest
from django.core.exceptions import PermissionDenied

from inbox.models import Notification
from issues import services
from issues.models import (
    Attachment,
    ExtensionRequest,
    Issue,
    IssueAlert,
    IssueEvent,
    IssueShare,
    Rating,
)
from issues.workflow import PEOPLE_ACTIONS, Action, InvalidTransition, allowed_actions, require
from tests.clock import at
from tests.issues.builders import issue_in

pytestmark = pytest.mark.django_db

ROLES = ["staff", "handler_a", "handler_b", "handler_town", "contact_a", "secretary_a", "leader_a", "chief_a"]
STATES = [
    "submitted",
    "accepted",
    "rejected",
    "dispatched",
    "in_progress",
    "parts_replied",
    "extension_pending",
    "escalated",
    "resolved",
    "closed",
]
HANDLING_STATES = {"dispatched", "in_progress", "parts_replied", "extension_pending", "escalated"}
WITH_SHARES = HANDLING_STATES | {"resolved", "closed"}

# What each person may do in each state (every other person: comment only). The issue is raised by
# contact_a for ent_a1 and handled jointly: dept_a (handler_a) leads, dept_b (handler_b) co-handles.
TABLE = {
    "submitted": {"staff": {"accept", "reject", "comment"}},
    "accepted": {"staff": {"dispatch", "comment"}},
    "rejected": {},
    "dispatched": {
        "handler_a": {"sign", "return", "comment"},  # an extension is asked for once signed
        "handler_b": {"sign", "return", "comment"},
    },
    "in_progress": {
        "handler_a": {"return", "request-extension", "comment"},  # resolve waits for the co-unit's part
        "handler_b": {"return", "reply-part", "comment"},
    },
    "parts_replied": {
        "handler_a": {"return", "request-extension", "resolve", "comment"},
        "handler_b": {"return", "comment"},
    },
    "extension_pending": {
        "staff": {"decide-extension", "comment"},
        "handler_a": {"return", "resolve", "comment"},
        "handler_b": {"return", "comment"},
    },
    "escalated": {
        "staff": {"supervise", "comment"},
        "handler_a": {"return", "request-extension", "comment"},
        "handler_b": {"return", "reply-part", "comment"},
    },
    "resolved": {"contact_a": {"rate", "comment"}},
    "closed": {},
}


def expected_allowed(state, role):
    return TABLE[state].get(role, {"comment"})


def who_may(state, role):
    """The actions a person may ever take on this issue in this state (403 for the rest)."""
    if role == "staff":
        return {"accept", "reject", "dispatch", "decide-extension", "supervise", "comment"}
    if role == "handler_a" and state in WITH_SHARES:
        return {"sign", "return", "request-extension", "resolve", "comment"}
    if role == "handler_b" and state in WITH_SHARES:
        return {"sign", "return", "reply-part", "comment"}
    if role == "contact_a":
        return {"rate", "comment"}
    return {"comment"}


# How each state of the table is reached: the issue is raised by contact_a at 10:00 on Monday 28
# September 2026, an inquiry handled jointly, dept_a leading and dept_b co-handling (both signed).
JOINT = {"category": "inquiry", "at": at(9, 28), "mode": "joint", "co_parts": "signed"}
BUILD = {
    "submitted": ("submitted", {}),
    "accepted": ("accepted", {}),
    "rejected": ("rejected", {}),
    "dispatched": ("dispatched", {"co_parts": "pending"}),
    "in_progress": ("in_progress", {}),
    "parts_replied": ("in_progress", {"co_parts": "replied"}),
    "extension_pending": ("in_progress", {"co_parts": "replied", "extension": "pending"}),
    "escalated": ("in_progress", {"escalation": 1}),  # due Wed 30 September: level 1 once it passes
    "resolved": ("resolved", {"co_parts": "replied"}),
    "closed": ("closed", {"co_parts": "replied", "satisfaction": "satisfied"}),
}


def build(world, state):
    builder_state, options = BUILD[state]
    return issue_in(world, builder_state, co=[world.dept_b], **{**JOINT, **options})


def take(action, issue, actor, world):
    """Call the service of `action` with arguments that would be valid if the action were allowed."""
    calls = {
        "accept": lambda: services.accept_issue(issue_id=issue.pk, actor=actor),
        "reject": lambda: services.reject_issue(issue_id=issue.pk, actor=actor, reason="理由"),
        "dispatch": lambda: services.dispatch_issue(
            issue_id=issue.pk, actor=actor, mode="transfer", lead_unit_id=world.dept_a.pk
        ),
        "sign": lambda: services.sign_issue(issue_id=issue.pk, actor=actor),
        "return": lambda: services.return_issue(issue_id=issue.pk, actor=actor, reason="非本单位职责"),
        "request-extension": lambda: services.request_extension(
            issue_id=issue.pk, actor=actor, days=2, reason="需要时间"
        ),
        "decide-extension": lambda: services.decide_extension(issue_id=issue.pk, actor=actor, grant=True),
        "reply-part": lambda: services.reply_part(issue_id=issue.pk, actor=actor, reply="意见"),
        "resolve": lambda: services.resolve_issue(issue_id=issue.pk, actor=actor, answer="答复"),
        "rate": lambda: services.rate_issue(issue_id=issue.pk, actor=actor, satisfaction="satisfied"),
        "comment": lambda: services.comment_on_issue(issue_id=issue.pk, actor=actor, text="评论"),
        "supervise": lambda: services.supervise_issue(issue_id=issue.pk, actor=actor, note="督办"),
    }
    return calls[action]()


def snapshot(issue):
    return {
        "issue": Issue.objects.filter(pk=issue.pk).values().get(),
        "shares": list(IssueShare.objects.filter(issue=issue).order_by("pk").values()),
        "extensions": list(ExtensionRequest.objects.filter(issue=issue).order_by("pk").values()),
        "counts": [
            model.objects.count()
            for model in (IssueEvent, Notification, IssueShare, ExtensionRequest, Rating, IssueAlert, Attachment)
        ],
    }


def test_the_table_names_every_action_people_take():
    assert set(PEOPLE_ACTIONS) == {a.value for a in Action} - {"submit", "warn", "escalate", "close"}
    # The buttons appear in one declared order.
    assert PEOPLE_ACTIONS.index("accept") < PEOPLE_ACTIONS.index("dispatch") < PEOPLE_ACTIONS.index("resolve")


@pytest.mark.parametrize("state", STATES)
def test_allowed_actions_match_the_table_for_every_role(world, categories, calendar_2026, state):
    issue = build(world, state)
    issue = Issue.objects.get(pk=issue.pk)
    got = {role: set(allowed_actions(issue, getattr(world, role))) for role in ROLES}
    assert got == {role: expected_allowed(state, role) for role in ROLES}
    # In the declared order.
    for role in ROLES:
        listed = allowed_actions(issue, getattr(world, role))
        assert listed == [a for a in PEOPLE_ACTIONS if a in listed]


@pytest.mark.parametrize("state", STATES)
def test_every_refused_action_raises_and_writes_nothing(world, categories, calendar_2026, state):
    issue = build(world, state)
    before = snapshot(issue)
    refused = 0
    for role in ROLES:
        actor = getattr(world, role)
        for action in PEOPLE_ACTIONS:
            if action in expected_allowed(state, role):
                continue
            expected = InvalidTransition if action in who_may(state, role) else PermissionDenied
            with pytest.raises(expected) as error:
                take(action, issue, actor, world)
            if expected is InvalidTransition:
                # The 409's body lists what the person may do now.
                assert set(error.value.allowed_actions) == expected_allowed(state, role), (role, action)
            assert snapshot(issue) == before, (role, action)
            refused += 1
    assert refused >= len(ROLES) * (len(PEOPLE_ACTIONS) - 4)


def test_a_refused_transition_says_what_and_why(world, categories, calendar_2026):
    issue = Issue.objects.get(pk=build(world, "accepted").pk)
    with pytest.raises(InvalidTransition) as error:
        require(issue, Action.ACCEPT, world.staff)
    assert error.value.action == "accept"
    assert error.value.allowed_actions == ["dispatch", "comment"]
    assert str(error.value)


def test_a_handler_of_an_uninvolved_unit_is_forbidden_not_told_to_wait(world, categories, calendar_2026):
    issue = build(world, "dispatched")
    with pytest.raises(PermissionDenied):
        services.sign_issue(issue_id=issue.pk, actor=world.handler_town)
