"""Who hears of what happens to an issue. The inbox (inbox.services.notify) writes the rows and has
the mail sent; this module only chooses the people and words the subject. The deadline sweep
chooses its own recipients in SQL (issues.sweep), by the same rules."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.roles import Role
from inbox.services import notify
from issues.models import Issue
from secretaries.selectors import cadre_ids_posted_to


def _active() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def enterprise_people(issue: Issue) -> QuerySet[User]:
    """The enterprise's side: its contacts, and the first secretaries posted to it now. Not simply
    the submitter: a secretary whose posting has ended no longer sees the issue, nor hears of it."""
    secretaries = cadre_ids_posted_to(issue.enterprise_id)
    return _active().filter(
        Q(enterprise_id=issue.enterprise_id, groups__name=Role.ENTERPRISE_CONTACT)
        | Q(pk__in=secretaries, groups__name=Role.FIRST_SECRETARY)
    )


def unit_handlers(unit_ids: Iterable[int | None]) -> QuerySet[User]:
    # A None (the lead unit of an issue not dispatched) matches nobody: Django drops it from IN.
    return _active().filter(unit_id__in=list(unit_ids), groups__name=Role.UNIT_HANDLER)


def district_staff() -> QuerySet[User]:
    return _active().filter(groups__name=Role.DISTRICT_STAFF)


def chain_leaders(issue: Issue) -> QuerySet[User]:
    if not issue.chain_id:
        return _active().none()
    return _active().filter(chain_leaderships__chain_id=issue.chain_id)


def notify_about_issue(
    *, issue: Issue, recipients: QuerySet[User], subject: str, body: str = "", exclude: User | None = None
) -> int:
    """Tell `recipients` (a user queryset) about the issue, its number first in the subject; the one
    who acted (`exclude`) is not told of their own action."""
    if exclude is not None:
        recipients = recipients.exclude(pk=exclude.pk)
    return notify(recipients=recipients, target=issue, subject=f"[{issue.number}] {subject}", body=body)
