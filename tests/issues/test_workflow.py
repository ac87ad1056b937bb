"""The declared transition table (design §4.6), checked from the outside: what each role may do in each
state, and that every other action is refused — InvalidTransition (409) when the person may take it
but not now, PermissionDenied (403) when the person may never take it — with nothing written."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.roles import Role
from inbox.models import Notification
from issues import services
from issues.models import (
    LIVE_SHARES,
    Attachment,
    ExtensionRequest,
    Issue,
    IssueAlert,
    IssueEvent,
    IssueShare,
    Rating,
    Supervision,
    Urge,
)
from issues.workflow import PEOPLE_ACTIONS, Action, InvalidTransition, allowed_actions, require
from meetings.models import AgendaItem, Meeting
from tests import factories as f
from tests.clock import at
from tests.issues.builders import complaint_session, issue_in

pytestmark = pytest.mark.django_db

ROLES = [
    "staff",
    "handler_a",
    "handler_b",
    "handler_town",
    "handler_ic",
    "contact_a",
    "secretary_a",
    "leader_a",
    "chief_a",
]
STATES = [
    "submitted",
    "accepted",
    "rejected",
    "dispatched",
    "in_progress",
    "parts_replied",
    "extension_pending",
    "escalated",
    "escalated_2",
    "supervised",
    "resolved",
    "closed",
]
HANDLING_STATES = set(STATES) - {"submitted", "accepted", "rejected", "resolved", "closed"}
WITH_SHARES = HANDLING_STATES | {"resolved", "closed"}

# What each person may do in each state (every other person: comment only). The issue is raised by
# contact_a for ent_a1 and handled jointly: dept_a (handler_a) leads, dept_b (handler_b) co-handles.
# dept_a's industry party committee is ic_a (handler_ic): the ladder's first rung; leader_a leads
# chain_a: the second. No chain meeting is planned, so nobody may put the issue on one.
ESCALATED = {
    "staff": {"supervise", "urge", "comment"},
    "chief_a": {"supervise", "urge", "comment"},  # ent_a1 is in park_a, which chief_a leads
    "handler_ic": {"supervise", "urge", "comment"},
    "handler_a": {"return", "request-extension", "urge", "comment"},  # the lead urges its co-unit
    "handler_b": {"return", "reply-part", "comment"},
}
TABLE = {
    "submitted": {"staff": {"accept", "reject", "comment"}},
    "accepted": {"staff": {"dispatch", "comment"}},
    "rejected": {},
    "dispatched": {
        "handler_a": {"sign", "return", "urge", "comment"},  # an extension is asked for once signed
        "handler_b": {"sign", "return", "comment"},
    },
    "in_progress": {
        "handler_a": {"return", "request-extension", "urge", "comment"},  # resolve waits for the co-unit's part
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
    "escalated": ESCALATED,  # level 1: not yet the chain leader's
    "escalated_2": {**ESCALATED, "leader_a": {"supervise", "urge", "comment"}},
    # Supervised by staff at level 1: the lead unit answers it.
    "supervised": {**ESCALATED, "handler_a": {"return", "request-extension", "answer-supervision", "urge", "comment"}},
    "resolved": {"contact_a": {"rate", "comment"}},
    "closed": {},
}


def expected_allowed(state, role):
    return TABLE[state].get(role, {"comment"})


def who_may(state, role):
    """The actions a person may ever take on this issue in this state (403 for the rest)."""
    if role == "staff":
        return {"accept", "reject", "dispatch", "decide-extension", "supervise", "urge", "add-to-meeting", "comment"}
    if role == "handler_a" and state in WITH_SHARES:
        return {"sign", "return", "request-extension", "answer-supervision", "resolve", "urge", "comment"}
    if role == "handler_b" and state in WITH_SHARES:
        return {"sign", "return", "reply-part", "comment"}
    if role == "handler_ic" and state in WITH_SHARES:  # once dept_a leads it
        return {"supervise", "urge", "comment"}
    if role == "contact_a":
        return {"rate", "comment"}
    if role == "chief_a":
        return {"supervise", "urge", "comment"}
    if role == "leader_a":
        return {"supervise", "urge", "add-to-meeting", "comment"}
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
    "escalated_2": ("in_progress", {"escalation": 2}),
    "supervised": ("in_progress", {"escalation": 1}),
    "resolved": ("resolved", {"co_parts": "replied"}),
    "closed": ("closed", {"co_parts": "replied", "satisfaction": "satisfied"}),
}


@pytest.fixture
def world(world):
    """The cast, with a handler of dept_a's industry party committee (the ladder's first rung)."""
    world.handler_ic = f.UserFactory(username="handler_ic", unit=world.ic_a, roles=[Role.UNIT_HANDLER])
    return world


def build(world, state):
    builder_state, options = BUILD[state]
    issue = issue_in(world, builder_state, co=[world.dept_b], **{**JOINT, **options})
    if state == "supervised":
        when = issue.resolve_due_at
        with time_machine.travel(when, tick=False):
            services.supervise_issue(
                issue_id=issue.pk, actor=world.staff, instruction="请三日内答复", reply_by=date(2026, 10, 9)
            )
    return issue


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
        "supervise": lambda: services.supervise_issue(
            issue_id=issue.pk, actor=actor, instruction="督办", reply_by=date(2026, 10, 30)
        ),
        "answer-supervision": lambda: services.answer_supervision(issue_id=issue.pk, actor=actor, reply="已整改"),
        "urge": lambda: services.urge_issue(issue_id=issue.pk, actor=actor),
        "add-to-meeting": lambda: services.add_issue_to_meeting(issue_id=issue.pk, actor=actor),
    }
    return calls[action]()


def snapshot(issue):
    return {
        "issue": Issue.objects.filter(pk=issue.pk).values().get(),
        "shares": list(IssueShare.objects.filter(issue=issue).order_by("pk").values()),
        "extensions": list(ExtensionRequest.objects.filter(issue=issue).order_by("pk").values()),
        "counts": [
            model.objects.count()
            for model in (
                IssueEvent,
                Notification,
                IssueShare,
                ExtensionRequest,
                Rating,
                IssueAlert,
                Attachment,
                Supervision,
                Urge,
                AgendaItem,
            )
        ],
    }


# The order people see the buttons in: the life of an issue, then what can be done at any time.
BUTTON_ORDER = [
    "accept",
    "reject",
    "dispatch",
    "sign",
    "return",
    "request-extension",
    "decide-extension",
    "reply-part",
    "answer-supervision",
    "resolve",
    "rate",
    "comment",
    "supervise",
    "urge",
    "add-to-meeting",
]


def in_button_order(actions):
    return sorted(actions, key=BUTTON_ORDER.index)


def test_the_table_names_every_action_people_take_in_the_order_of_the_buttons():
    assert set(PEOPLE_ACTIONS) == {a.value for a in Action} - {"submit", "extend", "warn", "escalate", "close"}
    assert PEOPLE_ACTIONS == BUTTON_ORDER


@pytest.mark.parametrize("state", STATES)
def test_allowed_actions_match_the_table_for_every_role(world, categories, calendar_2026, state):
    issue = build(world, state)
    issue = Issue.objects.get(pk=issue.pk)
    got = {role: set(allowed_actions(issue, getattr(world, role))) for role in ROLES}
    assert got == {role: expected_allowed(state, role) for role in ROLES}
    # In the order of the buttons, written out above (not read from the workflow's table).
    for role in ROLES:
        listed = allowed_actions(issue, getattr(world, role))
        assert listed == in_button_order(listed), role


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


# --- who may rate --------------------------------------------------------------------------------
# The enterprise gives the verdict on the answer (design §4.6): its contact, or the first secretary
# who submitted on its behalf; district staff never, even for an issue they entered at a complaint
# session. Each row: who asks to rate, who submitted the resolved issue of ent_a1, may they rate.
WHO_MAY_RATE = {
    "the enterprise's contact": ("contact_a", "contact_a", True),
    "the contact, when the first secretary submitted": ("contact_a", "secretary_a", True),
    "a contact of another enterprise on the same chain": ("contact_a2", "contact_a", False),
    "a user of the enterprise without the contact role": ("employee_a1", "contact_a", False),
    "the first secretary who submitted": ("secretary_a", "secretary_a", True),
    "a first secretary who did not submit": ("secretary_a", "contact_a", False),
    "another first secretary of the enterprise": ("secretary_a2", "secretary_a", False),
    "district staff who entered it at a complaint session": ("staff", "staff at a session", False),
    "district staff, on an issue the contact submitted": ("staff", "contact_a", False),
}


@pytest.fixture
def raters(world):
    """The cast of the rating table beyond `world`: people close to ent_a1 who are not its raters."""
    world.contact_a2 = f.UserFactory(enterprise=world.ent_a2, roles=[Role.ENTERPRISE_CONTACT])
    world.employee_a1 = f.UserFactory(enterprise=world.ent_a1, roles=[])
    world.secretary_a2 = f.UserFactory(unit=world.dept_a, roles=[Role.FIRST_SECRETARY])
    # An instructor beside the first secretary: one active posting of a kind per enterprise.
    f.PostingFactory(cadre=world.secretary_a2, enterprise=world.ent_a1, kind="instructor")
    return world


def resolved_issue_submitted_by(world, submitter):
    if submitter == "staff at a session":
        session = complaint_session(world, host=world.two_new, held_on=date(2026, 9, 25))
        with time_machine.travel(at(9, 28), tick=False):
            [entered] = services.submit_session_issues(
                actor=world.staff,
                session=session,
                rows=[
                    {
                        "enterprise": world.ent_a1.pk,
                        "category": "inquiry",
                        "title": "用地审批慢",
                        "description": "会上反映",
                    }
                ],
            )
            services.accept_issue(issue_id=entered.pk, actor=world.staff)
            services.dispatch_issue(
                issue_id=entered.pk, actor=world.staff, mode="transfer", lead_unit_id=world.dept_a.pk
            )
            services.sign_issue(issue_id=entered.pk, actor=world.handler_a)
            services.resolve_issue(issue_id=entered.pk, actor=world.handler_a, answer="已答复")
        issue = Issue.objects.get(pk=entered.pk)
        assert (issue.session, issue.submitted_by) == (session, world.staff)
        return issue
    return issue_in(world, "resolved", category="inquiry", at=at(9, 28), by=getattr(world, submitter))


@pytest.mark.parametrize("case", list(WHO_MAY_RATE))
def test_who_may_rate_the_answer(raters, categories, calendar_2026, case):
    role, submitter, may = WHO_MAY_RATE[case]
    issue = resolved_issue_submitted_by(raters, submitter)
    assert issue.status == "resolved"
    person = getattr(raters, role)
    assert ("rate" in allowed_actions(issue, person)) is may
    if may:
        require(issue, Action.RATE, person)
    else:
        # Never theirs to give: a 403, not "not now".
        with pytest.raises(PermissionDenied):
            require(issue, Action.RATE, person)


def test_a_contact_of_another_enterprise_may_not_rate_whichever_comes_first(raters, categories, calendar_2026):
    # The other way round from the table: the asker's enterprise comes before the issue's in the
    # register. The rule compares the enterprise itself, not its place.
    issue = issue_in(
        raters, "resolved", category="inquiry", at=at(9, 28), enterprise=raters.ent_a2, by=raters.contact_a2
    )
    assert raters.contact_a.enterprise_id < issue.enterprise_id
    assert "rate" not in allowed_actions(issue, raters.contact_a)
    with pytest.raises(PermissionDenied):
        require(issue, Action.RATE, raters.contact_a)


# --- every action in every state -------------------------------------------------------------------
# The states each action can be taken in, by someone who may take it, once its guard is met
# (design §4.6). Written out here; the workflow's own table is what is checked against it.
LIFE = ("submitted", "accepted", "rejected", "dispatched", "in_progress", "resolved", "closed")
HANDLING = {"dispatched", "in_progress"}
WHEN = {
    "accept": {"submitted"},
    "reject": {"submitted"},
    "dispatch": {"accepted"},
    "sign": HANDLING,  # a co-unit may sign before the lead does
    "return": HANDLING,
    "request-extension": {"in_progress"},  # once the lead unit has signed for it
    "decide-extension": HANDLING,
    "reply-part": HANDLING,  # a co-unit that has signed may reply before the lead signs
    "resolve": {"in_progress"},
    "rate": {"resolved"},
    "comment": set(LIFE),
    "supervise": HANDLING,
    "answer-supervision": HANDLING,
    "urge": HANDLING,
    "add-to-meeting": {"submitted", "accepted", "dispatched", "in_progress", "resolved"},  # open
}


def share_of(issue, unit, role, status):
    """`unit`'s live share of the issue in this role and status, whatever the issue's state."""
    live = IssueShare.objects.filter(issue=issue, unit=unit, status__in=LIVE_SHARES)
    if not live.update(role=role, status=status):
        IssueShare.objects.create(issue=issue, unit=unit, role=role, status=status)


def pending_extension(issue, world):
    if not ExtensionRequest.objects.filter(issue=issue, status="pending").exists():
        ExtensionRequest.objects.create(
            issue=issue, unit=world.dept_a, requested_by=world.handler_a, days=3, reason="需要会商"
        )


def no_pending_extension(issue, world):
    ExtensionRequest.objects.filter(issue=issue, status="pending").update(status="denied")


def co_parts_replied(issue, world):
    IssueShare.objects.filter(issue=issue, role="co", status__in=["pending", "signed"]).update(status="replied")


def pending_supervision(issue, world):
    Supervision.objects.create(
        issue=issue,
        unit=world.dept_a,
        by="district",
        supervised_by=world.staff,
        instruction="请答复",
        reply_by=date(2026, 10, 9),
    )


def level(n):
    return lambda issue, world: Issue.objects.filter(pk=issue.pk).update(escalation_level=n)


def next_meeting(issue, world):
    Meeting.objects.create(
        chain=world.chain_a, quarter="2026Q4", title="生物医药链2026年第四季度会议", starts_at=at(10, 20, 14)
    )


# Who takes each action, and the rows that meet its guard, written straight to the database so that
# in every state the person and the guard are satisfied and only the state can refuse.
READY = {
    "accept": ("staff", []),
    "reject": ("staff", []),
    "dispatch": ("staff", []),
    "sign": ("handler_b", [lambda issue, w: share_of(issue, w.dept_b, "co", "pending")]),
    "return": ("handler_b", [lambda issue, w: share_of(issue, w.dept_b, "co", "signed")]),
    "request-extension": (
        "handler_a",
        [lambda issue, w: share_of(issue, w.dept_a, "lead", "signed"), no_pending_extension],
    ),
    "decide-extension": ("staff", [pending_extension]),
    "reply-part": ("handler_b", [lambda issue, w: share_of(issue, w.dept_b, "co", "signed")]),
    "resolve": ("handler_a", [lambda issue, w: share_of(issue, w.dept_a, "lead", "signed"), co_parts_replied]),
    "rate": ("contact_a", []),
    "comment": ("contact_a", []),
    "supervise": ("staff", [lambda issue, w: Issue.objects.filter(pk=issue.pk).update(escalation_level=1)]),
    "answer-supervision": (
        "handler_a",
        [lambda issue, w: share_of(issue, w.dept_a, "lead", "signed"), pending_supervision],
    ),
    "urge": ("leader_a", [lambda issue, w: share_of(issue, w.dept_b, "co", "signed"), level(2)]),
    "add-to-meeting": ("leader_a", [next_meeting]),
}


def test_the_when_table_names_every_action():
    assert set(WHEN) == set(READY) == set(BUTTON_ORDER)


@pytest.mark.parametrize("state", LIFE)
def test_each_action_is_possible_only_in_its_states(world, categories, calendar_2026, state):
    built = issue_in(world, state, at=at(9, 28), mode="joint", co=[world.dept_b])
    possible = {}
    for action, (role, arrangements) in READY.items():
        with transaction.atomic():
            for arrange in arrangements:
                arrange(built, world)
            issue = Issue.objects.get(pk=built.pk)
            person = getattr(world, role)
            possible[action] = action in allowed_actions(issue, person)
            if possible[action]:
                require(issue, action, person)
            else:
                # The person may take it and its guard is met: only the state refuses, with a 409.
                with pytest.raises(InvalidTransition):
                    require(issue, action, person)
            transaction.set_rollback(True)
    assert possible == {action: state in states for action, states in WHEN.items()}
