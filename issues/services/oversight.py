"""Oversight of an issue being handled (design §4.6): whoever the escalation ladder has reached — the
lead unit's industry party committee at level 1, the chain leader at level 2, the district at 3
(district staff and the enterprise's park chief from level 1) — supervises it (督办: an instruction
and a day by which the lead unit answers) and urges the units still owing something (催办: recorded,
counted per unit). The lead unit answers the supervision, and in joint handling urges its co-units.
The chain leader puts the issue on the chain's next meeting (the meetings app writes the agenda)."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from chainparty.errors import InvalidTransition
from chainparty.scope import parse_id
from issues import agenda, workflow
from issues.models import Issue, Overseer, Supervision, Urge
from issues.notifications import chain_leaders, district_staff, notify_about_issue, unit_handlers
from issues.services._common import lock_for, record_event, require_text, save_issue
from issues.workflow import Action

# The reply-by day of a supervision: from today to this many days ahead.
REPLY_BY_MAX_DAYS = 60


def _as_overseer(issue: Issue, actor: User) -> str:
    rung = workflow.overseer(issue, actor)
    return rung[0] if rung else Overseer.LEAD_UNIT


def _reply_by(value: object, today: date) -> date:
    if not isinstance(value, date):
        raise ValidationError({"reply_by": _("Give the day by which the lead unit answers (YYYY-MM-DD).")})
    if value < today:
        raise ValidationError({"reply_by": _("The day cannot be in the past (today is %(today)s).") % {"today": today}})
    if value > today + timedelta(days=REPLY_BY_MAX_DAYS):
        raise ValidationError(
            {
                "reply_by": _("At most %(days)d days ahead (by %(last)s).")
                % {"days": REPLY_BY_MAX_DAYS, "last": today + timedelta(days=REPLY_BY_MAX_DAYS)}
            }
        )
    return value


@transaction.atomic
def supervise_issue(
    *,
    issue_id: int,
    actor: User,
    instruction: str,
    reply_by: date | None = None,
    report: bool = False,
    at: datetime | None = None,
) -> Supervision:
    """督办: an instruction to the lead unit with the day it answers by. Every problem of the input
    at once; the lead unit is told, and so are the chain's leaders."""
    issue = lock_for(issue_id, Action.SUPERVISE, actor)
    now = at or timezone.now()
    errors: dict[str, list[str]] = {}
    try:
        instruction = require_text("instruction", instruction, max_length=2000)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        reply_by = _reply_by(reply_by, timezone.localdate(now))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    # Checked above; and an issue being handled has its lead unit.
    assert reply_by is not None
    assert issue.lead_unit_id is not None
    by = _as_overseer(issue, actor)
    supervision = Supervision.objects.create(
        issue=issue,
        unit_id=issue.lead_unit_id,
        by=by,
        supervised_by=actor,
        instruction=instruction,
        reply_by=reply_by,
        report=bool(report),
        created_at=now,
    )
    issue.supervised_at = now
    save_issue(issue, "supervised_at")
    record_event(
        issue,
        actor,
        Action.SUPERVISE,
        from_status=issue.status,
        note=instruction,
        public=False,
        at=now,
        by=by,
        reply_by=reply_by.isoformat(),
        report=bool(report),
        supervision=supervision.pk,
    )
    notify_about_issue(
        issue=issue,
        recipients=unit_handlers([issue.lead_unit_id]) | chain_leaders(issue),
        subject=_("Supervised by the %(by)s (督办): answer by %(day)s")
        % {"by": Overseer(by).label, "day": reply_by.isoformat()},
        body=instruction,
        exclude=actor,
    )
    return supervision


@transaction.atomic
def answer_supervision(
    *, issue_id: int, actor: User, reply: str, supervision_id: object = None, at: datetime | None = None
) -> Supervision:
    """The lead unit answers a supervision: the one named, or the oldest unanswered. Whoever
    supervised is told (and district staff when it was overdue)."""
    issue = lock_for(issue_id, Action.ANSWER_SUPERVISION, actor)
    reply = require_text("reply", reply, max_length=5000)
    pending = (
        Supervision.objects.select_for_update()
        .filter(issue=issue, replied_at__isnull=True)
        .order_by("created_at", "pk")
    )
    chosen = parse_id(supervision_id)
    if chosen is not None:
        supervision = pending.filter(pk=chosen).first()
        if supervision is None:
            raise ValidationError({"supervision": _("Not an unanswered supervision of this issue.")})
    else:
        supervision = pending.first()
        if supervision is None:  # the workflow's guard saw one; another answer took it since
            raise workflow.InvalidTransition(issue, Action.ANSWER_SUPERVISION, workflow.allowed_actions(issue, actor))
    now = at or timezone.now()
    late = supervision.reply_by < timezone.localdate(now)
    supervision.reply, supervision.replied_by, supervision.replied_at = reply, actor, now
    supervision.save(update_fields=["reply", "replied_by", "replied_at"])
    record_event(
        issue,
        actor,
        Action.ANSWER_SUPERVISION,
        from_status=issue.status,
        note=reply,
        public=False,
        at=now,
        supervision=supervision.pk,
        late=late,
    )
    recipients = User.objects.filter(pk=supervision.supervised_by_id, is_active=True)
    if late:
        recipients = recipients | district_staff()
    notify_about_issue(
        issue=issue,
        recipients=recipients,
        subject=_("The lead unit answered the supervision") + (_(" (late)") if late else ""),
        body=reply,
        exclude=actor,
    )
    return supervision


@transaction.atomic
def urge_issue(
    *, issue_id: int, actor: User, unit_id: object = None, note: str = "", at: datetime | None = None
) -> list[Urge]:
    """催办: remind a unit still owing something — the one named, or by default every unit the
    actor may urge (the lead unit's co-units, for the lead) — through its handlers' inbox; recorded
    in the timeline and counted per unit."""
    issue = lock_for(issue_id, Action.URGE, actor)
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError(
            {"note": _("At most %(max)d characters (this has %(n)d).") % {"max": 2000, "n": len(note)}}
        )
    urgeable = {share.unit_id: share for share in workflow.urgeable_shares(issue, actor)}
    chosen = parse_id(unit_id)
    if chosen is not None:
        if chosen not in urgeable:
            raise ValidationError({"unit": _("Choose a unit of this issue that still owes its part.")})
        unit_ids = [chosen]
    else:
        unit_ids = sorted(urgeable)
    now = at or timezone.now()
    by = _as_overseer(issue, actor)
    urges = Urge.objects.bulk_create(
        [Urge(issue=issue, unit_id=pk, by=by, urged_by=actor, note=note, created_at=now) for pk in unit_ids]
    )
    names = "、".join(str(urgeable[pk].unit) for pk in unit_ids)
    record_event(
        issue, actor, Action.URGE, from_status=issue.status, note=note, public=False, at=now, by=by, units=unit_ids
    )
    notify_about_issue(
        issue=issue,
        recipients=unit_handlers(unit_ids),
        subject=_("Urged by the %(by)s (催办)") % {"by": Overseer(by).label},
        body=note or _("%(units)s: please complete your part of this issue.") % {"units": names},
        exclude=actor,
    )
    return urges


def add_issue_to_meeting(*, issue_id: int, actor: User) -> object:
    """The issue goes on its chain's next meeting (design §4.7); the meetings app checks again and
    writes the agenda item. Its refusal (no meeting, on the agenda already) is a step out of turn."""
    issue = Issue.objects.select_related("lead_unit", "enterprise").get(pk=issue_id)
    workflow.require(issue, Action.ADD_TO_MEETING, actor)
    try:
        with transaction.atomic():
            return agenda.add_to_next_meeting(actor=actor, issue_id=issue_id)
    except ValidationError as exc:
        reasons = [message for messages in exc.message_dict.values() for message in messages]
        raise InvalidTransition(" ".join(reasons), allowed_actions=workflow.allowed_actions(issue, actor)) from exc
