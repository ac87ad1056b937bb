"""The declared transition table of an issue (design §4.6): which action moves which state to
which, and who may take it. One source for the services' checks, the API's `allowed_actions` and the
buttons a page shows (what each action takes and calls is declared in issues/actions.py). Order of
checks: first *who* (403 when the user may never take this action on this issue), then *when* (409
with the actions allowed now)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

import chainparty.errors
from accounts.roles import Role
from issues import agenda
from issues.models import LIVE_SHARES, OPEN_STATUSES, DispatchMode, Issue, Overseer, ShareRole, ShareStatus, Status


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Reject")
    DISPATCH = "dispatch", _("Dispatch")
    SIGN = "sign", _("Sign for")
    RETURN = "return", _("Return")
    REQUEST_EXTENSION = "request-extension", _("Request an extension")
    DECIDE_EXTENSION = "decide-extension", _("Decide the extension")
    REPLY_PART = "reply-part", _("Reply (co-handling part)")
    RESOLVE = "resolve", _("Resolve")
    RATE = "rate", _("Rate")
    COMMENT = "comment", _("Comment")
    SUPERVISE = "supervise", _("Supervise")
    ANSWER_SUPERVISION = "answer-supervision", _("Answer the supervision")
    URGE = "urge", _("Urge")
    ADD_TO_MEETING = "add-to-meeting", _("Add to the next chain meeting")
    # Recorded in the timeline, not offered to people: the enterprise's view of a granted extension.
    EXTEND = "extend", _("Deadline extended")
    # Done by the sweep, not offered to people; recorded in the timeline.
    WARN = "warn", _("Deadline warning")
    ESCALATE = "escalate", _("Escalate")
    CLOSE = "close", _("Close")


class InvalidTransition(chainparty.errors.InvalidTransition):
    """An issue's step out of turn; carries the actions the user may take now."""

    def __init__(self, issue: Issue, action: str, allowed: list[str], reason: str = ""):
        self.issue, self.action = issue, action
        super().__init__(
            reason
            or _("“%(action)s” is not possible while the issue is %(status)s.")
            % {"action": Action(action).label, "status": Status(issue.status).label},
            allowed_actions=allowed,
        )


# --- who ------------------------------------------------------------------------------------
def _staff(issue: Issue, user) -> bool:
    return user.is_district_staff


def _parks_led(user) -> set[int]:
    # Asked for every action of a page: once per user object.
    cached = getattr(user, "_parks_led", None)
    if cached is None:
        cached = set(user.parks_led.values_list("pk", flat=True))
        user._parks_led = cached
    return cached


def _chains_led(user) -> set[int]:
    cached = getattr(user, "_chains_led", None)
    if cached is None:
        cached = (
            set(user.chain_leaderships.values_list("chain_id", flat=True))
            if user.has_role(Role.CHAIN_LEADER)
            else set()
        )
        user._chains_led = cached
    return cached


# The escalation ladder (design §4.6): the level at which it reaches each overseer. District staff
# oversee every escalated issue (the district committee's own rung is 3: its 督办件 start there).
LADDER = {
    Overseer.DISTRICT: 1,
    Overseer.PARK_CHIEF: 1,
    Overseer.COMMITTEE: 1,
    Overseer.CHAIN_LEADER: 2,
}
DISTRICT_RUNG = 3


def overseer(issue: Issue, user) -> tuple[str, int] | None:
    """As whom `user` oversees this issue and the level from which they may act, or None: district
    staff; a chief of the enterprise's park (综合指挥权, source §一.3); a handler of the lead unit's
    industry party committee; a leader of the issue's chain. The lowest rung when several apply."""
    if user.is_district_staff:
        return Overseer.DISTRICT, LADDER[Overseer.DISTRICT]
    lead = issue.lead_unit
    if (
        lead is not None
        and lead.industry_committee_id is not None
        and user.has_role(Role.UNIT_HANDLER)
        and user.unit_id == lead.industry_committee_id
    ):
        return Overseer.COMMITTEE, LADDER[Overseer.COMMITTEE]
    park_id = issue.enterprise.park_id if user.has_role(Role.PARK_CHIEF) else None
    if park_id is not None and park_id in _parks_led(user):
        return Overseer.PARK_CHIEF, LADDER[Overseer.PARK_CHIEF]
    if issue.chain_id is not None and issue.chain_id in _chains_led(user):
        return Overseer.CHAIN_LEADER, LADDER[Overseer.CHAIN_LEADER]
    return None


def _on_ladder(issue: Issue, user) -> bool:
    return overseer(issue, user) is not None


def _ladder_reached(issue: Issue, user) -> bool:
    rung = overseer(issue, user)
    return rung is not None and issue.escalation_level >= rung[1]


def _ladder_not_reached(issue: Issue, user) -> str:
    rung = overseer(issue, user)
    level = rung[1] if rung else DISTRICT_RUNG
    return str(
        _("The issue reaches you at escalation level %(rung)d; it is at level %(level)d.")
        % {"rung": level, "level": issue.escalation_level}
    )


def _live_shares(issue: Issue, user):
    if not (user.has_role(Role.UNIT_HANDLER) and user.unit_id):
        return []
    return [a for a in issue.shares.all() if a.unit_id == user.unit_id and a.status in LIVE_SHARES]


def _lead_handler(issue: Issue, user) -> bool:
    return any(a.role == ShareRole.LEAD for a in _live_shares(issue, user))


def _any_handler(issue: Issue, user) -> bool:
    return bool(_live_shares(issue, user))


def _joint_lead_handler(issue: Issue, user) -> bool:
    return issue.dispatch_mode == DispatchMode.JOINT and _lead_handler(issue, user)


def _co_handler(issue: Issue, user) -> bool:
    return any(a.role == ShareRole.CO for a in _live_shares(issue, user))


def _pending_signer(issue: Issue, user) -> bool:
    return any(a.status == ShareStatus.PENDING for a in _live_shares(issue, user))


def _rater(issue: Issue, user) -> bool:
    """The enterprise gives the verdict: its contact, or the first secretary who submitted on its
    behalf. Never district staff, even when they entered the issue at a complaint session: the
    district does not rate its own handling."""
    if user.has_role(Role.ENTERPRISE_CONTACT) and user.enterprise_id == issue.enterprise_id:
        return True
    return user.has_role(Role.FIRST_SECRETARY) and user.pk == issue.submitted_by_id


def _anyone(issue: Issue, user) -> bool:
    return True  # visibility is checked before the workflow is asked


# --- when, beyond the status: a failed guard is a 409 like a wrong status ---------------------
def _co_parts_replied(issue: Issue, user) -> bool:
    """In joint handling the lead writes the final answer once every co-unit has written its part."""
    return not any(
        a.role == ShareRole.CO and a.status in (ShareStatus.PENDING, ShareStatus.SIGNED) for a in issue.shares.all()
    )


def outstanding_co_shares(issue: Issue) -> list:
    """The co-units whose part is still to come (not signed for, or signed and not replied)."""
    return [
        a
        for a in issue.shares.all()
        if a.role == ShareRole.CO and a.status in (ShareStatus.PENDING, ShareStatus.SIGNED)
    ]


def _waiting_for_parts(issue: Issue, user) -> str:
    names = "、".join(str(a.unit) for a in outstanding_co_shares(issue))
    return str(_("Waiting for the part of %(units)s.") % {"units": names})


def urgeable_shares(issue: Issue, user) -> list:
    """The shares `user` may urge now: an overseer the ladder has reached, every unit still owing
    something (the lead until it answers, a co-unit until its part is in); the lead unit of a joint
    issue, its co-units whose part is still to come."""
    owing = [a for a in issue.shares.all() if a.status in (ShareStatus.PENDING, ShareStatus.SIGNED)]
    if _ladder_reached(issue, user):
        return owing
    if _joint_lead_handler(issue, user):
        return [a for a in owing if a.role == ShareRole.CO]
    return []


def _someone_to_urge(issue: Issue, user) -> bool:
    return bool(urgeable_shares(issue, user))


def _nobody_to_urge(issue: Issue, user) -> str:
    if _on_ladder(issue, user) and not _ladder_reached(issue, user):
        return _ladder_not_reached(issue, user)
    return str(_("Every unit has given its part; nobody is waited for."))


def _may_urge(issue: Issue, user) -> bool:
    return _on_ladder(issue, user) or _joint_lead_handler(issue, user)


def pending_supervisions(issue: Issue) -> list:
    return [s for s in issue.supervisions.all() if s.replied_at is None]


def _supervision_pending(issue: Issue, user) -> bool:
    return bool(pending_supervisions(issue))


def _staff_or_chain_leader(issue: Issue, user) -> bool:
    """The chain leader puts an issue of their chain on its next quarterly meeting (§4.7); district
    staff run the meetings."""
    return user.is_district_staff or (issue.chain_id is not None and issue.chain_id in _chains_led(user))


def _next_meeting(issue: Issue) -> agenda.NextMeeting | None:
    # Asked by the guard and its reason for one page: once per issue object.
    if not hasattr(issue, "_next_meeting"):
        setattr(issue, "_next_meeting", agenda.next_meeting_for(issue))  # noqa: B010 (not a model field)
    return getattr(issue, "_next_meeting")  # noqa: B009


def _meeting_takes_it(issue: Issue, user) -> bool:
    meeting = _next_meeting(issue)
    return meeting is not None and not meeting.has_issue


def _meeting_refuses(issue: Issue, user) -> str:
    meeting = _next_meeting(issue)
    if issue.chain_id is None:
        return str(_("The issue is on no chain, so on no chain meeting."))
    if meeting is None:
        return str(_("The chain has no meeting planned: district staff schedule one first."))
    return str(_("The issue is on the agenda of %(meeting)s already.") % {"meeting": meeting.title})


def _signed_co_part(issue: Issue, user) -> bool:
    return any(a.role == ShareRole.CO and a.status == ShareStatus.SIGNED for a in _live_shares(issue, user))


def _no_pending_extension(issue: Issue, user) -> bool:
    return not _pending_extensions(issue)


def _pending_extension(issue: Issue, user) -> bool:
    return bool(_pending_extensions(issue))


def _pending_extensions(issue: Issue):
    return [e for e in issue.extension_requests.all() if e.status == "pending"]


def _always(issue: Issue, user) -> bool:
    return True


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str | None  # None: the status does not change (or the service decides, e.g. rate)
    who: Callable[[Issue, object], bool]
    guard: Callable[[Issue, object], bool] = _always
    # Why the guard fails, in words for the person (the page shows it in place of the button, a 409
    # says it); None: the generic "not possible while the issue is …".
    why_not: Callable[[Issue, object], str] | None = None


HANDLING = (Status.DISPATCHED, Status.IN_PROGRESS)

TRANSITIONS: dict[str, Transition] = {
    Action.ACCEPT: Transition((Status.SUBMITTED,), Status.ACCEPTED, _staff),
    Action.REJECT: Transition((Status.SUBMITTED,), Status.REJECTED, _staff),
    Action.DISPATCH: Transition((Status.ACCEPTED,), Status.DISPATCHED, _staff),
    Action.SIGN: Transition(HANDLING, None, _any_handler, _pending_signer),
    Action.RETURN: Transition(HANDLING, None, _any_handler),
    # Signed for first: the unit asks for more time once it has taken the issue on.
    Action.REQUEST_EXTENSION: Transition((Status.IN_PROGRESS,), None, _lead_handler, _no_pending_extension),
    Action.DECIDE_EXTENSION: Transition(HANDLING, None, _staff, _pending_extension),
    Action.REPLY_PART: Transition(HANDLING, None, _co_handler, _signed_co_part),
    Action.ANSWER_SUPERVISION: Transition(HANDLING, None, _lead_handler, _supervision_pending),
    Action.RESOLVE: Transition(
        (Status.IN_PROGRESS,), Status.RESOLVED, _lead_handler, _co_parts_replied, why_not=_waiting_for_parts
    ),
    Action.RATE: Transition((Status.RESOLVED,), None, _rater),
    Action.COMMENT: Transition(tuple(Status), None, _anyone),
    # Whoever the ladder has reached: 督办 with a reply-by day, and 催办; the lead unit of a joint
    # issue urges its co-units too.
    Action.SUPERVISE: Transition(HANDLING, None, _on_ladder, _ladder_reached, why_not=_ladder_not_reached),
    Action.URGE: Transition(HANDLING, None, _may_urge, _someone_to_urge, why_not=_nobody_to_urge),
    Action.ADD_TO_MEETING: Transition(
        OPEN_STATUSES, None, _staff_or_chain_leader, _meeting_takes_it, why_not=_meeting_refuses
    ),
}

# The order buttons are shown in.
PEOPLE_ACTIONS = list(TRANSITIONS)


def allowed_actions(issue: Issue, user) -> list[str]:
    return [
        str(action)
        for action, transition in TRANSITIONS.items()
        if issue.status in transition.sources and transition.who(issue, user) and transition.guard(issue, user)
    ]


def blocked_actions(issue: Issue, user) -> list[tuple[str, str]]:
    """The actions the user would take in this state but cannot yet, each with why (a transition
    that says why_not): a page shows the reason where the button would be."""
    return [
        (str(action), transition.why_not(issue, user))
        for action, transition in TRANSITIONS.items()
        if transition.why_not is not None
        and issue.status in transition.sources
        and transition.who(issue, user)
        and not transition.guard(issue, user)
    ]


def require(issue: Issue, action: str, user) -> Transition:
    """Raise PermissionDenied (403) or InvalidTransition (409, with why when the table says), or
    return the transition."""
    transition = TRANSITIONS[action]
    if not transition.who(issue, user):
        raise PermissionDenied(_("You may not take this action on this issue."))
    if issue.status not in transition.sources:
        raise InvalidTransition(issue, action, allowed_actions(issue, user))
    if not transition.guard(issue, user):
        reason = transition.why_not(issue, user) if transition.why_not else ""
        raise InvalidTransition(issue, action, allowed_actions(issue, user), reason)
    return transition
