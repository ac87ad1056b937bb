"""The enterprise rates the answer (design §4.6): satisfied or basically satisfied closes the issue;
unsatisfied reopens it (重办) for a new handling cycle."""

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from issues import deadlines
from issues.models import Issue, Rating, ReasonCode, Satisfaction, ShareRole, ShareStatus, Status
from issues.notifications import enterprise_people, notify_about_issue, unit_handlers
from issues.services._common import lock_for, record_event, save_issue
from issues.workflow import Action


@transaction.atomic
def rate_issue(
    *,
    issue_id: int,
    actor: User,
    satisfaction: str,
    reason_codes: Sequence[str] = (),
    comment: str = "",
    at: datetime | None = None,
) -> Issue:
    """满意 / 基本满意 close the issue; 不满意 reopens it (重办), counted, with a new resolve deadline."""
    issue = lock_for(issue_id, Action.RATE, actor)
    errors = {}
    if satisfaction not in Satisfaction.values:
        errors["satisfaction"] = _("Choose satisfied, basically satisfied or unsatisfied.")
    codes = list(dict.fromkeys(reason_codes or []))
    unknown = [code for code in codes if code not in ReasonCode.values]
    if unknown:
        errors["reason_codes"] = _("Unknown reason: %s") % ", ".join(unknown)
    elif satisfaction == Satisfaction.UNSATISFIED and not codes:
        errors["reason_codes"] = _("Say why you are not satisfied.")
    if len(comment or "") > 2000:
        errors["comment"] = _("At most 2000 characters.")
    if errors:
        raise ValidationError(errors)
    now = at or timezone.now()
    Rating.objects.create(
        issue=issue, rated_by=actor, satisfaction=satisfaction, reason_codes=codes, comment=comment or ""
    )
    before = issue.status
    if satisfaction == Satisfaction.UNSATISFIED:
        issue.status = Status.IN_PROGRESS
        issue.reopen_count += 1
        issue.rate_due_at = None
        # The refused answer and its time are history now (the resolve event keeps both, the rating
        # says why): the issue has no current answer until the lead unit answers again.
        issue.answer = ""
        issue.resolved_at = None
        deadlines.restart_resolve_clock(issue, now)
        deadlines.begin_handling_cycle(issue)
        save_issue(
            issue,
            "status",
            "reopen_count",
            "rate_due_at",
            "answer",
            "resolved_at",
            *deadlines.RESOLVE_FIELDS,
            *deadlines.CYCLE_FIELDS,
        )
        issue.shares.filter(role=ShareRole.LEAD, status=ShareStatus.REPLIED).update(
            status=ShareStatus.SIGNED, due_at=issue.resolve_due_at
        )
        # The co-units' parts answered what the enterprise has now refused: each gives a new part (its
        # earlier reply stays in the timeline) before the lead can resolve again.
        co_parts = issue.shares.filter(role=ShareRole.CO, status=ShareStatus.REPLIED)
        co_unit_ids = list(co_parts.values_list("unit_id", flat=True))
        co_parts.update(status=ShareStatus.SIGNED, due_at=deadlines.co_part_due(issue, now), replied_at=None)
        recipients = unit_handlers([issue.lead_unit_id, *co_unit_ids])
        subject = _("Reopened: the enterprise is not satisfied")
        due = timezone.localtime(issue.resolve_due_at).date().isoformat() if issue.resolve_due_at else "—"
        # The enterprise's side (a contact who did not rate, the first secretary) hears of it too.
        notify_about_issue(
            issue=issue,
            recipients=enterprise_people(issue),
            subject=_("Your issue was reopened: a new answer is due by %(day)s") % {"day": due},
            exclude=actor,
        )
    else:
        issue.status = Status.CLOSED
        issue.closed_at = now
        save_issue(issue, "status", "closed_at")
        recipients = unit_handlers([issue.lead_unit_id])
        subject = _("Closed: the enterprise rated the answer")
    record_event(
        issue,
        actor,
        Action.RATE,
        from_status=before,
        note=comment or "",
        at=now,
        satisfaction=satisfaction,
        reason_codes=codes,
    )
    notify_about_issue(issue=issue, recipients=recipients, subject=subject, body=comment or "")
    return issue
