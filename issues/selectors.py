"""Reads shared by the issue pages, the API and dashboards. Every list starts from visible_to."""

from django.db.models import Prefetch, QuerySet

from accounts.roles import Role
from chains.selectors import get_visible_or_404
from issues.models import ExtensionRequest, Issue, IssueAssignment, IssueEvent

INTERNAL_ROLES = (Role.DISTRICT_STAFF, Role.UNIT_HANDLER, Role.CHAIN_LEADER)


def list_issues_for_user(user) -> QuerySet[Issue]:
    return (
        Issue.objects.visible_to(user)
        .select_related("enterprise", "chain", "category", "lead_unit")
        .order_by("-created_at", "-pk")
    )


def get_issue_for_user(user, issue_id) -> Issue:
    """One issue with what its detail, allowed_actions and timeline need; 404 outside scope."""
    queryset = (
        Issue.objects.visible_to(user)
        .select_related("enterprise", "chain", "category", "lead_unit", "session", "submitted_by")
        .prefetch_related(
            Prefetch("assignments", queryset=IssueAssignment.objects.select_related("unit").order_by("role", "pk")),
            Prefetch("extension_requests", queryset=ExtensionRequest.objects.order_by("-created_at")),
            "attachments",
        )
    )
    return get_visible_or_404(queryset, pk=issue_id)


def list_events_for_user(user, issue: Issue) -> QuerySet[IssueEvent]:
    """The timeline. Internal entries (returns, extensions, internal comments, supervision) are for
    the government side that handles or oversees the issue; the enterprise, and the first secretary
    or park chief acting with it, see the public entries."""
    events = issue.events.select_related("actor").order_by("created_at", "pk")
    if not sees_internal(user):
        events = events.filter(public=True)
    return events


def sees_internal(user) -> bool:
    return user.has_role(*INTERNAL_ROLES) and not user.enterprise_id


def list_complaint_sessions_for_user(user) -> QuerySet:
    """吐槽大会 sessions: district staff all; a unit handler those its unit hosts or is the industry
    party committee of, those on chains its unit leads or cooperates on, and those whose issues were
    dispatched to it. Nobody else. Each with `issue_count`."""
    from django.db.models import Count, Q

    from chains.models import Chain
    from issues.models import ComplaintSession

    sessions = (
        ComplaintSession.objects.select_related("chain", "industry_committee", "host_unit")
        .annotate(issue_count=Count("issues"))
        .order_by("-held_on", "-pk")
    )
    if not user.is_authenticated or not user.is_active:
        return sessions.none()
    if user.has_role(Role.DISTRICT_STAFF):
        return sessions
    if user.has_role(Role.UNIT_HANDLER) and user.unit_id:
        unit = user.unit_id
        cooperating = Chain.cooperating_units.through.objects.filter(unit_id=unit).values("chain_id")
        dispatched = IssueAssignment.objects.filter(unit_id=unit, issue__session__isnull=False).values(
            "issue__session_id"
        )
        return sessions.filter(
            Q(host_unit_id=unit)
            | Q(industry_committee_id=unit)
            | Q(chain__lead_unit_id=unit)
            | Q(chain_id__in=cooperating)
            | Q(pk__in=dispatched)
        )
    return sessions.none()
