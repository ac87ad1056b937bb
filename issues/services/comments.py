"""Comments on an issue's timeline: public ones reach the enterprise side, internal ones only the
government users who handle it."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from issues.models import LIVE_SHARES, IssueEvent
from issues.notifications import district_staff, enterprise_people, notify_about_issue, unit_handlers
from issues.selectors import sees_internal
from issues.services._common import lock_for, record_event, require_text
from issues.workflow import Action


@transaction.atomic
def comment_on_issue(
    *, issue_id: int, actor: User, text: str, public: bool = True, at: datetime | None = None
) -> IssueEvent:
    issue = lock_for(issue_id, Action.COMMENT, actor)
    text = require_text("text", text, max_length=5000)
    if not public and not sees_internal(actor):
        raise ValidationError({"public": _("Internal comments are for government users only.")})
    event = record_event(issue, actor, Action.COMMENT, from_status=issue.status, note=text, public=public, at=at)
    units = list(issue.shares.filter(status__in=LIVE_SHARES).values_list("unit_id", flat=True))
    recipients = unit_handlers(units) | district_staff()
    if public:
        recipients = recipients | enterprise_people(issue)
    notify_about_issue(
        issue=issue, recipients=recipients.distinct(), subject=_("New comment"), body=text, exclude=actor
    )
    return event
