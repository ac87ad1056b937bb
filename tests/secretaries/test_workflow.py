"""The posting's transition table (secretaries/workflow.py), checked from the outside: what each person
may do in each state, and that every other action is refused — 409 when the person may take it but not
now, 403 when never — with nothing written."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from secretaries import services
from secretaries.models import Posting, WorkLog
from secretaries.workflow import TRANSITIONS, InvalidTransition, allowed_actions

pytestmark = pytest.mark.django_db

PEOPLE = ["staff", "secretary_a", "secretary_b", "contact_a", "chief_a", "leader_a"]
# What each may do to secretary_a's posting in each state; everyone else: nothing.
TABLE = {
    "active": {"staff": ["log-work", "end", "evaluate"], "secretary_a": ["log-work"]},
    "ended": {"staff": ["evaluate"]},
    "evaluated": {},
}
WHO_MAY_EVER = {"staff": {"log-work", "end", "evaluate"}, "secretary_a": {"log-work"}}


def in_state(world, state) -> Posting:
    posting = world.posting_a
    if state in ("ended", "evaluated"):
        services.end_posting(posting_id=posting.pk, actor=world.staff, reason="期满")
    if state == "evaluated":
        services.evaluate_posting(
            posting_id=posting.pk, actor=world.staff, goals_met="met", problems_solved=1, evaluation="完成"
        )
    return Posting.objects.select_related("cadre").get(pk=posting.pk)


def take(action, posting, actor):
    if action == "log-work":
        return services.log_work(
            posting_id=posting.pk, actor=actor, kind="visit", date=date(2026, 11, 30), summary="走访"
        )
    if action == "end":
        return services.end_posting(posting_id=posting.pk, actor=actor, reason="调整")
    return services.evaluate_posting(
        posting_id=posting.pk, actor=actor, goals_met="met", problems_solved=0, evaluation="评价"
    )


def test_the_table_names_every_action():
    assert list(TRANSITIONS) == ["log-work", "end", "evaluate"]


@pytest.mark.parametrize("state", list(TABLE))
def test_allowed_actions_match_the_table(posts, state):
    posting = in_state(posts, state)
    for who in PEOPLE:
        assert allowed_actions(posting, getattr(posts, who)) == TABLE[state].get(who, []), who


@pytest.mark.parametrize("state", list(TABLE))
def test_every_refused_action_raises_and_writes_nothing(posts, state):
    posting = in_state(posts, state)
    before = (Posting.objects.values().get(pk=posting.pk), WorkLog.objects.count())
    for who in PEOPLE:
        for action in TRANSITIONS:
            if action in TABLE[state].get(who, []):
                continue
            # A log on an ended posting is refused on its field (a 400), the rest by the table.
            expected = InvalidTransition if action in WHO_MAY_EVER.get(who, set()) else PermissionDenied
            if action == "log-work" and expected is InvalidTransition:
                expected = ValidationError
            with pytest.raises(expected):
                take(action, posting, getattr(posts, who))
            assert (Posting.objects.values().get(pk=posting.pk), WorkLog.objects.count()) == before, (who, action)
