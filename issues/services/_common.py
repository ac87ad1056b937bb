"""What every write on an issue does the same way: lock the row and ask the workflow, record the timeline event, save
the changed fields, check a required text. Private to the services package."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from chainparty.text import check_text, one_line
from issues import workflow
from issues.models import Issue, IssueEvent


def lock_issue(issue_id: int) -> Issue:
    # Lock the issue row first, then read its shares: every action on one issue is serialised.
    issue = Issue.objects.select_for_update(of=("self",)).select_related("category", "lead_unit").get(pk=issue_id)
    return issue


def lock_for(issue_id: int, action: str, actor: User) -> Issue:
    """The issue, its row locked for this transaction, once the workflow lets `actor` take `action`
    on it now. Asked again under the lock: the page or the API asked before, but another request may
    have moved the issue since (403 or 409, as workflow.require says)."""
    issue = lock_issue(issue_id)
    workflow.require(issue, action, actor)
    return issue


def record_event(
    issue: Issue,
    actor: User,
    action: str,
    *,
    from_status: str = "",
    note: str = "",
    public: bool = True,
    at: datetime | None = None,
    **data: object,
) -> IssueEvent:
    return IssueEvent.objects.create(
        created_at=at or timezone.now(),
        issue=issue,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=issue.status,
        note=note,
        public=public,
        data=data,
    )


def require_text(field: str, value: str, *, max_length: int | None = None, single_line: bool = False) -> str:
    """The text a person must give, trimmed (and on one line for a title), or a ValidationError
    naming `field`: missing, too long, or holding characters that cannot be stored."""
    value = (value or "").strip()
    if single_line:
        value = one_line(value)
    check_text(field, value)
    if not value:
        raise ValidationError({field: _("This field is required.")})
    if max_length and len(value) > max_length:
        raise ValidationError(
            {field: _("At most %(max)d characters (this has %(n)d).") % {"max": max_length, "n": len(value)}}
        )
    return value


def save_issue(issue: Issue, *fields: str) -> None:
    issue.save(update_fields=[*fields, "updated_at"])
