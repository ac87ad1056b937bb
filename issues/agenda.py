"""The chain's next meeting, as the issues app sees it. Meetings sit above issues (.importlinter:
issues never imports meetings), yet the chain leader puts an issue on the chain's next meeting from
the issue (design §4.7): the meetings app lends the two calls from its AppConfig.ready(), as apps
lend figures to secretaries (secretaries/figures.py). Unregistered, no meeting is ever planned."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from issues.models import Issue


@dataclass(frozen=True)
class NextMeeting:
    """The chain's next meeting not yet held: its title, page and whether the issue is on its agenda."""

    pk: int
    title: str
    url: str
    has_issue: bool


@dataclass(frozen=True)
class _Lent:
    next_meeting: Callable[[Issue], NextMeeting | None]
    add_issue: Callable[..., Any]


_lent: list[_Lent] = []


def register(*, next_meeting: Callable[[Issue], NextMeeting | None], add_issue: Callable[..., Any]) -> None:
    """`next_meeting(issue)`: the issue's chain's next meeting, or None. `add_issue(*, actor,
    issue_id)`: put it on that meeting's agenda (the meetings app checks and writes)."""
    _lent[:] = [_Lent(next_meeting, add_issue)]


def next_meeting_for(issue: Issue) -> NextMeeting | None:
    if not _lent or issue.chain_id is None:
        return None
    return _lent[0].next_meeting(issue)


def add_to_next_meeting(*, actor, issue_id: int) -> Any:
    if not _lent:
        raise LookupError("no meetings app registered an agenda")
    return _lent[0].add_issue(actor=actor, issue_id=issue_id)
