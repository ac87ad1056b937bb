"""The declared transition table of a chain meeting (design §4.7), in the shape of issues/workflow.py:
which action moves which state to which, who may take it (403 when never) and when (409 with the
actions allowed now). One source for the services' checks, the API's `allowed_actions` and the
buttons the meeting page shows; what each action takes and calls is declared in meetings/actions.py."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import chainparty.errors
from accounts.roles import Role
from meetings.models import TAKEN_PLACE, UPCOMING, Meeting, Status


class Action(models.TextChoices):
    RESCHEDULE = "reschedule", _("Reschedule")
    ADD_ITEM = "add-item", _("Add to the agenda")
    HOLD = "hold", _("Record as held")
    RECORD_MINUTES = "record-minutes", _("Record the minutes")
    DISCUSS = "discuss", _("Record the discussion of an item")
    DECIDE = "decide", _("Record a decision")
    CANCEL = "cancel", _("Cancel the meeting")
    # Done by the scheduler and the reminder sweep, not offered to people.
    SCHEDULE = "schedule", _("Schedule")


class InvalidTransition(chainparty.errors.InvalidTransition):
    def __init__(self, meeting: Meeting, action: str, allowed: list[str], reason: str | None = None):
        self.meeting, self.action = meeting, action
        message = reason or _("“%(action)s” is not possible while the meeting is %(status)s.") % {
            "action": Action(action).label,
            "status": Status(meeting.status).label,
        }
        super().__init__(message, allowed_actions=allowed)


# --- who ----------------------------------------------------------------------------------------
def _staff(meeting: Meeting, user) -> bool:
    return user.is_district_staff


def _staff_or_chain_leader(meeting: Meeting, user) -> bool:
    """The chain leader chairs the meeting and may put any open issue of the chain on its agenda."""
    if user.is_district_staff:
        return True
    return user.has_role(Role.CHAIN_LEADER) and user.chain_leaderships.filter(chain_id=meeting.chain_id).exists()


# --- when, beyond the status ------------------------------------------------------------------
def _has_started(meeting: Meeting, user) -> bool:
    """Minutes are for a meeting that has happened: not before its start."""
    return meeting.starts_at <= timezone.now()


def _always(meeting: Meeting, user) -> bool:
    return True


NOT_YET = _("The meeting has not taken place yet: it starts %(at)s.")


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str | None  # None: the status does not change (or the service decides, as hold does)
    who: Callable[[Meeting, object], bool]
    guard: Callable[[Meeting, object], bool] = _always


TRANSITIONS: dict[str, Transition] = {
    Action.RESCHEDULE: Transition(UPCOMING, Status.RESCHEDULED, _staff),
    Action.ADD_ITEM: Transition(UPCOMING, None, _staff_or_chain_leader),
    # Held with its minutes it is minuted at once; held without them it waits for them (and the
    # organiser is reminded 5 working days after the date).
    Action.HOLD: Transition(UPCOMING, None, _staff, _has_started),
    Action.RECORD_MINUTES: Transition((Status.HELD,), Status.MINUTED, _staff),
    Action.DISCUSS: Transition(TAKEN_PLACE, None, _staff),
    Action.DECIDE: Transition(TAKEN_PLACE, None, _staff),
    Action.CANCEL: Transition(UPCOMING, Status.CANCELLED, _staff),
}

PEOPLE_ACTIONS = list(TRANSITIONS)


def allowed_actions(meeting: Meeting, user) -> list[str]:
    return [
        str(action)
        for action, transition in TRANSITIONS.items()
        if meeting.status in transition.sources and transition.who(meeting, user) and transition.guard(meeting, user)
    ]


def require(meeting: Meeting, action: str, user) -> Transition:
    """Raise PermissionDenied (403) or InvalidTransition (409), or return the transition."""
    transition = TRANSITIONS[action]
    if not transition.who(meeting, user):
        raise PermissionDenied(_("You may not take this action on this meeting."))
    if meeting.status not in transition.sources:
        raise InvalidTransition(meeting, action, allowed_actions(meeting, user))
    if not transition.guard(meeting, user):
        reason = None
        if transition.guard is _has_started:
            local = timezone.localtime(meeting.starts_at)
            reason = str(NOT_YET % {"at": local.strftime("%Y-%m-%d %H:%M")})
        raise InvalidTransition(meeting, action, allowed_actions(meeting, user), reason)
    return transition
