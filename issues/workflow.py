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
from issues.models import LIVE_SHARES, Issue, ShareRole, ShareStatus, Status


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
    # Done by the sweep, not offered to people; recorded in the timeline.
    WARN = "warn", _("Deadline warning")
    ESCALATE = "escalate", _("Escalate")
    CLOSE = "close", _("Close")


class InvalidTransition(chainparty.errors.InvalidTransition):
    """An issue's step out of turn; carries the actions the user may take now."""

    def __init__(self, issue: Issue, action: str, allowed: list[str]):
        self.issue, self.action = issue, action
        super().__init__(
            _("“%(action)s” is not possible while the issue is %(status)s.")
            % {"action": Action(action).label, "status": Status(issue.status).label},
            allowed_actions=allowed,
        )


# --- who ------------------------------------------------------------------------------------
def _staff(issue: Issue, user) -> bool:
    return user.is_district_staff


def _staff_or_park_chief(issue: Issue, user) -> bool:
    """District staff, or a chief of the park the enterprise sits in: the park chief's 综合指挥权
    (source §一.3) lets them supervise the park's issues."""
    if user.is_district_staff:
        return True
    if not user.has_role(Role.PARK_CHIEF):
        return False
    park_id = issue.enterprise.park_id
    return park_id is not None and park_id in _parks_led(user)


def _parks_led(user) -> set[int]:
    # Asked for every action of a page: once per user object.
    cached = getattr(user, "_parks_led", None)
    if cached is None:
        cached = set(user.parks_led.values_list("pk", flat=True))
        user._parks_led = cached
    return cached


def _live_shares(issue: Issue, user):
    if not (user.has_role(Role.UNIT_HANDLER) and user.unit_id):
        return []
    return [a for a in issue.shares.all() if a.unit_id == user.unit_id and a.status in LIVE_SHARES]


def _lead_handler(issue: Issue, user) -> bool:
    return any(a.role == ShareRole.LEAD for a in _live_shares(issue, user))


def _any_handler(issue: Issue, user) -> bool:
    return bool(_live_shares(issue, user))


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


def _signed_co_part(issue: Issue, user) -> bool:
    return any(a.role == ShareRole.CO and a.status == ShareStatus.SIGNED for a in _live_shares(issue, user))


def _no_pending_extension(issue: Issue, user) -> bool:
    return not _pending_extensions(issue)


def _pending_extension(issue: Issue, user) -> bool:
    return bool(_pending_extensions(issue))


def _pending_extensions(issue: Issue):
    return [e for e in issue.extension_requests.all() if e.status == "pending"]


def _escalated(issue: Issue, user) -> bool:
    return issue.escalation_level >= 1


def _always(issue: Issue, user) -> bool:
    return True


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str | None  # None: the status does not change (or the service decides, e.g. rate)
    who: Callable[[Issue, object], bool]
    guard: Callable[[Issue, object], bool] = _always


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
    Action.RESOLVE: Transition((Status.IN_PROGRESS,), Status.RESOLVED, _lead_handler, _co_parts_replied),
    Action.RATE: Transition((Status.RESOLVED,), None, _rater),
    Action.COMMENT: Transition(tuple(Status), None, _anyone),
    Action.SUPERVISE: Transition(HANDLING, None, _staff_or_park_chief, _escalated),
}

# The order buttons are shown in.
PEOPLE_ACTIONS = list(TRANSITIONS)


def allowed_actions(issue: Issue, user) -> list[str]:
    return [
        str(action)
        for action, transition in TRANSITIONS.items()
        if issue.status in transition.sources and transition.who(issue, user) and transition.guard(issue, user)
    ]


def require(issue: Issue, action: str, user) -> Transition:
    """Raise PermissionDenied (403) or InvalidTransition (409), or return the transition."""
    transition = TRANSITIONS[action]
    if not transition.who(issue, user):
        raise PermissionDenied(_("You may not take this action on this issue."))
    if issue.status not in transition.sources or not transition.guard(issue, user):
        raise InvalidTransition(issue, action, allowed_actions(issue, user))
    return transition
