"""Follow-ups decided by a higher level (design §4.7: "a decision can open or update issues"): an
issue opened by district staff for an enterprise's problem, dispatched by transfer to the unit that
must follow it up, with the deadline the decision set instead of the category's, and supervised
(督办) from the start. The caller (a chain meeting's decision) keeps the link to the issue; this
package knows nothing of meetings."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from chainparty.dates import SHANGHAI
from chainparty.permissions import require_district_staff
from chainparty.scope import find_by_id
from issues import deadlines
from issues.models import DispatchMode, Issue
from issues.services._common import lock_issue, record_event, save_issue
from issues.services.handling import accept_issue, dispatch_issue
from issues.services.intake import check_submission, submit_issue
from issues.workflow import Action
from workdays.calendar import END_OF_DAY


@dataclass(frozen=True)
class FollowUp:
    """What a follow-up issue is: ids as a caller sent them (checked by validate_supervised_issue)."""

    enterprise_id: object
    chain_id: int | None
    category_code: str | None
    title: str
    description: str
    lead_unit_id: object
    due_on: date | None


def validate_supervised_issue(*, actor: User, follow_up: FollowUp, at: datetime | None = None) -> None:
    """Every check of open_supervised_issue at once, writing nothing: a ValidationError naming each
    field (`enterprise`, `category`, `title`, `lead_unit`, `due_on`, ...)."""
    require_district_staff(actor)
    *_resolved, errors = check_submission(
        actor=actor,
        enterprise_id=follow_up.enterprise_id,
        category_code=follow_up.category_code,
        title=follow_up.title,
        description=follow_up.description,
        chain_id=follow_up.chain_id,
    )
    if find_by_id(Unit.objects.filter(is_active=True), follow_up.lead_unit_id) is None:
        errors["lead_unit"] = [_("No such unit: choose the unit that follows it up.")]
    today = timezone.localtime(at or timezone.now()).date()
    if follow_up.due_on is None:
        errors["due_on"] = [_("This field is required.")]
    elif follow_up.due_on <= today:
        errors["due_on"] = [_("The deadline must be after today (%(today)s).") % {"today": today.isoformat()}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def open_supervised_issue(*, actor: User, follow_up: FollowUp, note: str, at: datetime | None = None) -> Issue:
    """Open, accept and dispatch the issue to the follow-up's unit, due at the end of its day, supervised."""
    validate_supervised_issue(actor=actor, follow_up=follow_up, at=at)
    # Checked above: an enterprise, a category, a unit and a day.
    assert follow_up.due_on is not None
    now = at or timezone.now()
    issue = submit_issue(
        actor=actor,
        enterprise_id=int(str(follow_up.enterprise_id)),
        category_code=follow_up.category_code or "",
        title=follow_up.title,
        description=follow_up.description,
        chain_id=follow_up.chain_id,
        at=now,
    )
    accept_issue(issue_id=issue.pk, actor=actor, note=note, at=now)
    dispatch_issue(
        issue_id=issue.pk,
        actor=actor,
        mode=DispatchMode.TRANSFER,
        lead_unit_id=int(str(follow_up.lead_unit_id)),
        note=note,
        at=now,
    )
    issue = lock_issue(issue.pk)
    # The decision's deadline replaces the category's; the warning and the ladder follow it.
    deadlines.set_resolve_deadline(issue, datetime.combine(follow_up.due_on, END_OF_DAY, tzinfo=SHANGHAI))
    issue.supervised_at = now
    save_issue(issue, *deadlines.RESOLVE_FIELDS, "supervised_at")
    record_event(issue, actor, Action.SUPERVISE, from_status=issue.status, note=note, public=False, at=now)
    return issue
