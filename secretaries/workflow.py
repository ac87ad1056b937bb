"""The declared transition table of a posting (§4.5): active → ended (early, by district staff) →
evaluated, or active → evaluated at the end of term; work is logged on an active posting only. One
source for the services' checks, the API's `allowed_actions` and the buttons a page shows (what each
action takes and calls is declared in secretaries/actions.py). Order of checks: first *who* (403),
then *when* (409 with the actions allowed now)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

import chainparty.errors
from secretaries.models import Posting, PostingStatus


class Action(models.TextChoices):
    LOG_WORK = "log-work", _("Log work")
    END = "end", _("End the posting")
    EVALUATE = "evaluate", _("Evaluate the term")


class InvalidTransition(chainparty.errors.InvalidTransition):
    def __init__(self, posting: Posting, action: str, allowed: list[str]):
        super().__init__(
            _("“%(action)s” is not possible while the posting is %(status)s.")
            % {"action": Action(action).label, "status": PostingStatus(posting.status).label},
            allowed_actions=allowed,
        )


def _staff(posting: Posting, user) -> bool:
    return bool(getattr(user, "is_district_staff", False))


def _posted_cadre_or_staff(posting: Posting, user) -> bool:
    """The cadre themselves (through their account), or district staff entering it for them."""
    return _staff(posting, user) or (posting.cadre.user_id is not None and posting.cadre.user_id == user.pk)


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str | None
    who: Callable[[Posting, object], bool]


TRANSITIONS: dict[str, Transition] = {
    Action.LOG_WORK: Transition((PostingStatus.ACTIVE,), None, _posted_cadre_or_staff),
    Action.END: Transition((PostingStatus.ACTIVE,), PostingStatus.ENDED, _staff),
    Action.EVALUATE: Transition((PostingStatus.ACTIVE, PostingStatus.ENDED), PostingStatus.EVALUATED, _staff),
}


def allowed_actions(posting: Posting, user) -> list[str]:
    return [
        str(action)
        for action, transition in TRANSITIONS.items()
        if posting.status in transition.sources and transition.who(posting, user)
    ]


def require(posting: Posting, action: str, user) -> Transition:
    """Raise PermissionDenied (403) or InvalidTransition (409), or return the transition."""
    transition = TRANSITIONS[action]
    if not transition.who(posting, user):
        raise PermissionDenied(_("You may not take this action on this posting."))
    if posting.status not in transition.sources:
        raise InvalidTransition(posting, action, allowed_actions(posting, user))
    return transition
