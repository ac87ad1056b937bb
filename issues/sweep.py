"""The deadline sweep (design §4.6): warnings, the escalation ladder and unrated closing, as of an
instant. Set-based: a fixed number of statements whatever the number of issues. Exactly once: each
step inserts IssueAlert rows with ON CONFLICT DO NOTHING against the (issue, kind, cycle) unique
constraint, and only the rows this sweep inserted (marked with its id) produce events, level changes
and notifications (inbox rows about the issue, written here in SQL by the same rules as
issues.notifications). Two sweeps racing, or one re-run, therefore add nothing; a sweep after
downtime catches up on every rung reached."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Exists, Field, Model, OuterRef
from django.utils import timezone

from accounts.models import Unit, User
from accounts.roles import Role
from chains.models import ChainLeadership
from inbox.models import Notification
from inbox.services import request_email_delivery
from issues.models import (
    HANDLING_STATUSES,
    AlertKind,
    Issue,
    IssueAlert,
    IssueEvent,
    IssueShare,
    ShareStatus,
    Status,
)
from issues.workflow import Action

# A sweep that records at least this many alerts refreshes the alert table's statistics.
ANALYZE_AFTER = 1000


@dataclass(frozen=True)
class Step:
    kind: str
    statuses: tuple[str, ...]
    due_column: str
    action: str
    level: int = 0  # the escalation level this step reaches
    closes: bool = False
    # A warning ("the deadline is near") is pointless once that deadline has passed: a sweep catching up
    # after downtime skips it (the escalation that follows says more).
    pointless_after: str | None = None


STEPS = [
    Step(AlertKind.WARN_ACCEPT, (Status.SUBMITTED,), "accept_warn_at", Action.WARN, pointless_after="accept_due_at"),
    Step(AlertKind.WARN_SIGN, (Status.DISPATCHED,), "sign_warn_at", Action.WARN, pointless_after="sign_due_at"),
    Step(AlertKind.WARN_RESOLVE, HANDLING_STATUSES, "resolve_warn_at", Action.WARN, pointless_after="resolve_due_at"),
    Step(AlertKind.ESCALATE_1, HANDLING_STATUSES, "resolve_due_at", Action.ESCALATE, level=1),
    Step(AlertKind.ESCALATE_2, HANDLING_STATUSES, "escalate_2_at", Action.ESCALATE, level=2),
    Step(AlertKind.ESCALATE_3, HANDLING_STATUSES, "escalate_3_at", Action.ESCALATE, level=3),
    Step(AlertKind.CLOSE_UNRATED, (Status.RESOLVED,), "rate_due_at", Action.CLOSE, closes=True),
]


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _field(model: type[Model], name: str) -> Field:
    field = model._meta.get_field(name)
    # get_field also answers with reverse relations; the sweep names only a model's own fields.
    if not isinstance(field, Field):
        raise LookupError(f"{model._meta.label}.{name} is a reverse relation, not a field")
    return field


def _col(model: type[Model], name: str) -> str:
    column = _field(model, name).column
    if column is None:  # a field with no column of its own (a ForeignObject)
        raise LookupError(f"{model._meta.label}.{name} has no column")
    return connection.ops.quote_name(column)


def _prep(model: type[Model], name: str, value: object) -> Any:
    # Any: whatever the database adapter takes for this field (a string, a number, a UUID, JSON text).
    return _field(model, name).get_db_prep_value(value, connection)


def _recipients(step: Step) -> tuple[str, list[str]] | None:
    """SQL condition on u (user), g (group), i (issue) selecting who hears of this step."""
    share, unit = _table(IssueShare), _table(Unit)
    if step.kind == AlertKind.WARN_ACCEPT:
        return "g.name = %s", [Role.DISTRICT_STAFF.value]
    if step.kind == AlertKind.WARN_SIGN:
        return (
            f"u.unit_id IN (SELECT s.unit_id FROM {share} s WHERE s.issue_id = i.id AND s.status = %s) AND g.name = %s",
            [ShareStatus.PENDING.value, Role.UNIT_HANDLER.value],
        )
    if step.kind == AlertKind.WARN_RESOLVE:
        return "u.unit_id = i.lead_unit_id AND g.name = %s", [Role.UNIT_HANDLER.value]
    if step.kind == AlertKind.ESCALATE_1:
        return (
            f"u.unit_id IN (SELECT x.industry_committee_id FROM {unit} x WHERE x.id = i.lead_unit_id) AND g.name = %s",
            [Role.UNIT_HANDLER.value],
        )
    if step.kind == AlertKind.ESCALATE_2:
        leadership = _table(ChainLeadership)
        return (
            f"u.id IN (SELECT l.user_id FROM {leadership} l WHERE l.chain_id = i.chain_id) AND g.name = %s",
            [Role.CHAIN_LEADER.value],
        )
    if step.kind == AlertKind.ESCALATE_3:
        # The district supervises (督办) through its staff, who see every issue. Not every member of
        # the district committee unit: chain leaders sit there too and must not hear of other chains.
        return "g.name = %s", [Role.DISTRICT_STAFF.value]
    return None


@transaction.atomic
def sweep_deadlines(*, at: datetime | None = None) -> dict[str, int]:
    at = at or timezone.now()
    sweep_id = uuid.uuid4()
    issue, alert, event, note = _table(Issue), _table(IssueAlert), _table(IssueEvent), _table(Notification)
    target_type, target_id = _col(Notification, "target_type"), _col(Notification, "target_id")
    issue_type = [Issue._meta.app_label, Issue._meta.model_name]
    sweep_param = _prep(IssueAlert, "sweep", sweep_id)
    at_param = _prep(Issue, "created_at", at)
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for step in STEPS:
            due = _col(Issue, step.due_column)
            statuses = ", ".join(["%s"] * len(step.statuses))
            timely, timely_params = "", []
            if step.pointless_after:
                deadline = _col(Issue, step.pointless_after)
                timely = f"AND (i.{deadline} IS NULL OR i.{deadline} > %s) "
                timely_params = [at_param]
            cursor.execute(
                f"INSERT INTO {alert} (issue_id, kind, cycle, due_at, sweep, created_at) "
                f"SELECT i.id, %s, i.handling_cycle, i.{due}, %s, %s FROM {issue} i "
                f"WHERE i.status IN ({statuses}) AND i.{due} IS NOT NULL AND i.{due} <= %s {timely}"
                # Skip what is done already (cheap, by the unique index); ON CONFLICT still settles races.
                f"AND NOT EXISTS (SELECT 1 FROM {alert} x WHERE x.issue_id = i.id AND x.kind = %s "
                f"AND x.cycle = i.handling_cycle) "
                f"ON CONFLICT (issue_id, kind, cycle) DO NOTHING",
                [step.kind, sweep_param, at_param, *step.statuses, at_param, *timely_params, step.kind],
            )
            counts[step.kind] = cursor.rowcount
            if not cursor.rowcount:
                continue
            # Between the INSERT above and the statements below, a person may have resolved, rated or
            # returned an issue: each statement re-checks that the issue is still where the step found
            # it (status and handling cycle), so no late escalation, event or message lands on it.
            mine = Issue.objects.filter(
                Exists(
                    IssueAlert.objects.filter(
                        issue=OuterRef("pk"), sweep=sweep_id, kind=step.kind, cycle=OuterRef("handling_cycle")
                    )
                ),
                status__in=step.statuses,
            )
            if step.level:
                mine.filter(escalation_level__lt=step.level).update(escalation_level=step.level, updated_at=at)
            if step.closes:
                mine.update(status=Status.CLOSED, closed_at=at, updated_at=at)
            after = (Status.CLOSED,) if step.closes else step.statuses
            still = f"i.handling_cycle = a.cycle AND i.status IN ({', '.join(['%s'] * len(after))})" + (
                " AND i.closed_at = %s" if step.closes else ""
            )
            still_params = [*after, *([at_param] if step.closes else [])]
            label = str(AlertKind(step.kind).label)
            from_status = step.statuses[0] if len(step.statuses) == 1 else ""
            cursor.execute(
                f"INSERT INTO {event} (issue_id, actor_id, action, from_status, to_status, note, public, data, "
                f"created_at) SELECT a.issue_id, NULL, %s, %s, i.status, %s, %s, %s, %s FROM {alert} a "
                f"JOIN {issue} i ON i.id = a.issue_id WHERE a.sweep = %s AND a.kind = %s AND {still}",
                [
                    step.action,
                    from_status,
                    label,
                    _prep(IssueEvent, "public", step.closes),
                    _prep(IssueEvent, "data", {"alert": step.kind, "level": step.level}),
                    at_param,
                    sweep_param,
                    step.kind,
                    *still_params,
                ],
            )
            recipients = _recipients(step)
            if recipients is None:
                continue
            condition, params = recipients
            cursor.execute(
                f"INSERT INTO {note} (recipient_id, {target_type}, {target_id}, subject, body, email_due, created_at) "
                f"SELECT DISTINCT u.id, ct.id, i.id, %s || i.number || %s, '', %s, %s "
                f"FROM {alert} a JOIN {issue} i ON i.id = a.issue_id "
                # The target is the issue: its content type by natural key, in the statement, so the
                # count of statements stays fixed (no lookup whose cost depends on a cache).
                f"JOIN {_table(ContentType)} ct ON ct.app_label = %s AND ct.model = %s "
                f"CROSS JOIN {_table(User)} u "
                f"JOIN {_table(User.groups.through)} ug ON ug.user_id = u.id "
                f"JOIN {_table(User.groups.field.related_model)} g ON g.id = ug.group_id "
                f"WHERE a.sweep = %s AND a.kind = %s AND {still} AND u.is_active = %s AND {condition}",
                ["[", "] " + label, True, at_param, *issue_type, sweep_param, step.kind, *still_params, True, *params],
            )
        if sum(counts.values()) >= ANALYZE_AFTER and connection.vendor == "postgresql":
            # A catch-up wrote many alerts at once: until autovacuum gets round to it, the planner
            # would take the table for what it was (empty, after downtime) and plan the next sweep's
            # NOT EXISTS as a nested loop over every alert per issue — 14–18 s instead of 130 ms at
            # 200,000 issues (issue 13). One ANALYZE (tens of ms) keeps the figures true.
            cursor.execute(f"ANALYZE {alert}")
    if any(counts.values()):
        request_email_delivery()
    return counts
