"""Handling an issue (design §4.6), in the order of its life: district staff accept or reject it and
dispatch it to a lead unit (and co-handling units); the units sign for it, return it, ask for more
time, reply their part and resolve it; the district decides extensions. Oversight (督办, 催办) is in
issues/services/oversight.py."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from issues import deadlines
from issues.models import (
    LIVE_SHARES,
    DispatchMode,
    ExtensionRequest,
    ExtensionStatus,
    Issue,
    IssueShare,
    ShareRole,
    ShareStatus,
    Status,
)
from issues.notifications import district_staff, enterprise_people, notify_about_issue, unit_handlers
from issues.services._common import lock_for, record_event, require_text, save_issue
from issues.workflow import Action


def _day(instant: datetime | None) -> str:
    """A deadline as the day it ends, in Beijing time (deadlines end at the close of a working day)."""
    return timezone.localtime(instant).date().isoformat() if instant else "—"


# --- district staff: accept, reject, dispatch ---------------------------------------------------
@transaction.atomic
def accept_issue(*, issue_id: int, actor: User, note: str = "", at: datetime | None = None) -> Issue:
    issue = lock_for(issue_id, Action.ACCEPT, actor)
    before = issue.status
    issue.status = Status.ACCEPTED
    issue.accepted_at = at or timezone.now()
    save_issue(issue, "status", "accepted_at")
    record_event(issue, actor, Action.ACCEPT, from_status=before, note=note, at=issue.accepted_at)
    notify_about_issue(issue=issue, recipients=enterprise_people(issue), subject=_("Your issue was accepted"))
    return issue


@transaction.atomic
def reject_issue(*, issue_id: int, actor: User, reason: str) -> Issue:
    issue = lock_for(issue_id, Action.REJECT, actor)
    reason = require_text("reason", reason, max_length=2000)
    before = issue.status
    issue.status = Status.REJECTED
    issue.reject_reason = reason
    issue.closed_at = timezone.now()
    save_issue(issue, "status", "reject_reason", "closed_at")
    record_event(issue, actor, Action.REJECT, from_status=before, note=reason)
    notify_about_issue(
        issue=issue, recipients=enterprise_people(issue), subject=_("Your issue was not accepted"), body=reason
    )
    return issue


@transaction.atomic
def dispatch_issue(
    *,
    issue_id: int,
    actor: User,
    mode: str,
    lead_unit_id: int,
    co_unit_ids: Iterable[int] = (),
    note: str = "",
    co_due_days: int | None = None,
    at: datetime | None = None,
) -> Issue:
    issue = lock_for(issue_id, Action.DISPATCH, actor)
    errors = {}
    if mode not in DispatchMode.values:
        errors["mode"] = _("Choose transfer or joint handling.")
    lead = Unit.objects.filter(pk=lead_unit_id, is_active=True).first() if lead_unit_id else None
    if lead is None:
        errors["lead_unit"] = _("Choose the lead unit.")
    co_ids = sorted(set(co_unit_ids or []))
    co_units = list(Unit.objects.filter(pk__in=co_ids, is_active=True))
    if len(co_units) != len(co_ids):
        errors["co_units"] = _("Unknown unit.")
    elif mode == DispatchMode.JOINT and not co_units:
        errors["co_units"] = _("Joint handling needs at least one co-handling unit.")
    elif mode == DispatchMode.TRANSFER and co_units:
        errors["co_units"] = _("A transfer has one lead unit and no co-handling units.")
    elif lead is not None and lead.pk in co_ids:
        errors["co_units"] = _("The lead unit cannot also be a co-handling unit.")
    if not errors and lead is not None:
        # A unit nobody in it can sign for would hold the issue for ever: refuse it, by name.
        staffed = set(unit_handlers([lead.pk, *co_ids]).values_list("unit_id", flat=True))
        if lead.pk not in staffed:
            errors["lead_unit"] = _("%(unit)s has no active unit handler to sign for it; add one first.") % {
                "unit": lead.name
            }
        unstaffed = [unit.name for unit in co_units if unit.pk not in staffed]
        if unstaffed:
            errors["co_units"] = _("No active unit handler to sign for it: %(units)s; add one first.") % {
                "units": "、".join(sorted(unstaffed))
            }
    # A missing lead is in `errors` already; naming it again tells the type checker.
    if errors or lead is None:
        raise ValidationError(errors)
    now = at or timezone.now()
    before = issue.status
    issue.status = Status.DISPATCHED
    issue.dispatch_mode = mode
    issue.lead_unit = lead
    issue.dispatched_at = now
    issue.signed_at = None
    deadlines.start_handling_clocks(issue, now)
    deadlines.begin_handling_cycle(issue)
    save_issue(
        issue,
        "status",
        "dispatch_mode",
        "lead_unit",
        "dispatched_at",
        "signed_at",
        *deadlines.HANDLING_FIELDS,
        *deadlines.CYCLE_FIELDS,
    )
    co_due = deadlines.co_part_due(issue, now, co_due_days)
    IssueShare.objects.bulk_create(
        [
            IssueShare(
                issue=issue,
                unit=lead,
                role=ShareRole.LEAD,
                sign_due_at=issue.sign_due_at,
                due_at=issue.resolve_due_at,
            )
        ]
        + [
            IssueShare(issue=issue, unit=unit, role=ShareRole.CO, sign_due_at=issue.sign_due_at, due_at=co_due)
            for unit in co_units
        ]
    )
    record_event(
        issue,
        actor,
        Action.DISPATCH,
        from_status=before,
        note=note,
        at=now,
        mode=mode,
        lead_unit=lead.pk,
        co_units=[u.pk for u in co_units],
    )
    notify_about_issue(
        issue=issue,
        recipients=unit_handlers([lead.pk, *co_ids]),
        subject=_("An issue was dispatched to your unit: %s") % issue.title,
    )
    notify_about_issue(
        issue=issue,
        recipients=enterprise_people(issue),
        subject=_("Your issue was passed to %(unit)s, to answer by %(day)s")
        % {"unit": lead.name, "day": _day(issue.resolve_due_at)},
    )
    return issue


# --- unit handlers ------------------------------------------------------------------------------
def _unit_id(actor: User) -> int:
    """The acting handler's unit. workflow.require lets only a unit's handlers take these steps, so
    an actor without a unit here means the table and this module disagree: a bug, not a 403."""
    if actor.unit_id is None:
        raise RuntimeError(f"user {actor.pk} has no unit, yet took a unit's step")
    return actor.unit_id


def _my_share(issue: Issue, actor: User) -> IssueShare:
    return (
        IssueShare.objects.select_for_update()
        .filter(
            issue=issue,
            unit_id=_unit_id(actor),
            status__in=LIVE_SHARES,
        )
        .get()
    )


@transaction.atomic
def sign_issue(*, issue_id: int, actor: User, at: datetime | None = None) -> Issue:
    issue = lock_for(issue_id, Action.SIGN, actor)
    share = _my_share(issue, actor)
    now = at or timezone.now()
    share.status = ShareStatus.SIGNED
    share.signed_at = now
    share.save(update_fields=["status", "signed_at"])
    before = issue.status
    if share.role == ShareRole.LEAD:
        issue.status = Status.IN_PROGRESS
        issue.signed_at = now
        save_issue(issue, "status", "signed_at")
    record_event(issue, actor, Action.SIGN, from_status=before, at=now, unit=actor.unit_id, role=share.role)
    return issue


@transaction.atomic
def return_issue(*, issue_id: int, actor: User, reason: str) -> Issue:
    """退单: not this unit's remit. The lead's return sends the issue back to the dispatcher
    (accepted, to dispatch again); a co-unit's return drops only its part."""
    issue = lock_for(issue_id, Action.RETURN, actor)
    reason = require_text("reason", reason, max_length=2000)
    share = _my_share(issue, actor)
    before = issue.status
    share.status = ShareStatus.RETURNED
    share.save(update_fields=["status"])
    if share.role == ShareRole.LEAD:
        issue.shares.filter(status__in=LIVE_SHARES).update(status=ShareStatus.CANCELLED)
        _withdraw_pending_extension(issue, timezone.now(), _("Withdrawn: the issue was returned."))
        issue.status = Status.ACCEPTED
        issue.lead_unit = None
        issue.dispatch_mode = ""
        issue.signed_at = None
        deadlines.clear_handling_clocks(issue)
        save_issue(issue, "status", "lead_unit", "dispatch_mode", "signed_at", *deadlines.HANDLING_FIELDS)
    record_event(issue, actor, Action.RETURN, from_status=before, note=reason, public=False, unit=actor.unit_id)
    notify_about_issue(
        issue=issue, recipients=district_staff(), subject=_("An issue was returned by %s") % actor.unit, body=reason
    )
    return issue


@transaction.atomic
def request_extension(*, issue_id: int, actor: User, days: int, reason: str) -> ExtensionRequest:
    issue = lock_for(issue_id, Action.REQUEST_EXTENSION, actor)
    reason = require_text("reason", reason, max_length=2000)
    if not isinstance(days, int) or not 1 <= days <= 30:
        raise ValidationError({"days": _("Between 1 and 30 working days.")})
    request = ExtensionRequest.objects.create(
        issue=issue, unit_id=_unit_id(actor), requested_by=actor, days=days, reason=reason
    )
    record_event(issue, actor, Action.REQUEST_EXTENSION, from_status=issue.status, note=reason, public=False, days=days)
    notify_about_issue(
        issue=issue, recipients=district_staff(), subject=_("Extension requested (%d working days)") % days
    )
    return request


@transaction.atomic
def decide_extension(*, issue_id: int, actor: User, grant: bool, note: str = "") -> ExtensionRequest:
    """A granted extension moves the resolve deadline (and the ladder with it); a pending request
    does not stop the clock (§4.6)."""
    issue = lock_for(issue_id, Action.DECIDE_EXTENSION, actor)
    request = issue.extension_requests.select_for_update().get(status=ExtensionStatus.PENDING)
    request.status = ExtensionStatus.GRANTED if grant else ExtensionStatus.DENIED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if grant:
        deadlines.extend_resolve_deadline(issue, request.days)
        deadlines.begin_handling_cycle(issue)
        save_issue(issue, *deadlines.RESOLVE_FIELDS, *deadlines.CYCLE_FIELDS)
        issue.shares.filter(role=ShareRole.LEAD, status__in=[ShareStatus.PENDING, ShareStatus.SIGNED]).update(
            due_at=issue.resolve_due_at
        )
    if grant:
        # The enterprise sees its deadline move (the request and its reasons stay internal).
        record_event(
            issue,
            actor,
            Action.EXTEND,
            from_status=issue.status,
            resolve_due_at=issue.resolve_due_at.isoformat() if issue.resolve_due_at else None,
        )
        notify_about_issue(
            issue=issue,
            recipients=enterprise_people(issue),
            subject=_("The deadline of your issue moved to %(day)s") % {"day": _day(issue.resolve_due_at)},
        )
    record_event(
        issue,
        actor,
        Action.DECIDE_EXTENSION,
        from_status=issue.status,
        note=note,
        public=False,
        granted=grant,
        days=request.days,
        resolve_due_at=issue.resolve_due_at.isoformat() if issue.resolve_due_at else None,
    )
    notify_about_issue(
        issue=issue,
        recipients=unit_handlers([request.unit_id]),
        subject=_("Extension granted") if grant else _("Extension denied"),
        body=note,
    )
    return request


@transaction.atomic
def reply_part(*, issue_id: int, actor: User, reply: str, at: datetime | None = None) -> IssueShare:
    issue = lock_for(issue_id, Action.REPLY_PART, actor)
    reply = require_text("reply", reply, max_length=10_000)
    share = _my_share(issue, actor)
    share.status = ShareStatus.REPLIED
    share.reply = reply
    share.replied_at = at or timezone.now()
    share.save(update_fields=["status", "reply", "replied_at"])
    record_event(
        issue,
        actor,
        Action.REPLY_PART,
        from_status=issue.status,
        note=reply,
        public=False,
        at=share.replied_at,
        unit=actor.unit_id,
    )
    notify_about_issue(
        issue=issue, recipients=unit_handlers([issue.lead_unit_id]), subject=_("A co-handling unit replied")
    )
    return share


@transaction.atomic
def resolve_issue(*, issue_id: int, actor: User, answer: str, at: datetime | None = None) -> Issue:
    issue = lock_for(issue_id, Action.RESOLVE, actor)
    answer = require_text("answer", answer, max_length=10_000)
    now = at or timezone.now()
    before = issue.status
    issue.status = Status.RESOLVED
    issue.answer = answer
    issue.resolved_at = now
    deadlines.start_rating_clock(issue, now)
    save_issue(issue, "status", "answer", "resolved_at", "rate_due_at")
    issue.shares.filter(role=ShareRole.LEAD, status=ShareStatus.SIGNED).update(
        status=ShareStatus.REPLIED, reply=answer, replied_at=now
    )
    record_event(issue, actor, Action.RESOLVE, from_status=before, note=answer, at=now)
    _withdraw_pending_extension(issue, now, _("Withdrawn: the lead unit answered the issue."))
    notify_about_issue(
        issue=issue, recipients=enterprise_people(issue), subject=_("Your issue has an answer: please rate it")
    )
    return issue


def _withdraw_pending_extension(issue: Issue, now: datetime, note: str) -> None:
    """More time was asked for in a handling cycle that has just ended (answered, or returned). Left
    pending, the request could be granted later — after an unsatisfied rating reopens the issue, or a
    new dispatch — and move a new cycle's deadline for a reason given in the old one; the unit asks
    again if it needs to. Nobody decided it: it keeps a time and no decider. The request's row says
    so to the government side; the enterprise never sees extension requests."""
    issue.extension_requests.filter(status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.WITHDRAWN, decided_at=now, decision_note=note
    )
