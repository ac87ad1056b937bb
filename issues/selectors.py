"""Reads shared by the issue pages, the API and dashboards. Every list starts from visible_to."""

from typing import TypeVar

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import AnyUser
from accounts.roles import Role
from chainparty.scope import get_visible_or_404
from chains.models import Chain, Enterprise, Park
from issues.models import (
    HANDLING_STATUSES,
    LIVE_SHARES,
    OPEN_STATUSES,
    ComplaintSession,
    DispatchMode,
    ExtensionRequest,
    Issue,
    IssueEvent,
    IssueQuerySet,
    IssueShare,
    Overseer,
    Rating,
    Satisfaction,
    ShareRole,
    ShareStatus,
    StagedUpload,
    Supervision,
    Urge,
    overdue_q,
)
from issues.workflow import DISTRICT_RUNG, LADDER

IssuesT = TypeVar("IssuesT", bound=QuerySet[Issue])

INTERNAL_ROLES = (Role.DISTRICT_STAFF, Role.UNIT_HANDLER, Role.CHAIN_LEADER)


def list_issues_for_user(user) -> QuerySet[Issue]:
    """The issues a user may see, newest first, each with `is_overdue` now."""
    return (
        Issue.objects.visible_to(user)
        .with_overdue(timezone.now())
        .select_related("enterprise", "chain", "category", "lead_unit")
        .order_by("-created_at", "-pk")
    )


def with_enterprise_link(issues: IssuesT, user) -> IssuesT:
    """Each issue's `enterprise_visible`: whether the user may open its enterprise's page (a unit
    handler may see an issue dispatched to it for an enterprise of a chain that is not the unit's),
    so that a page links to it only then. One correlated EXISTS, no query per row."""
    visible = Enterprise.objects.visible_to(user).filter(pk=OuterRef("enterprise_id"))
    return issues.annotate(enterprise_visible=Exists(visible))


def get_issue_for_user(user, issue_id) -> Issue:
    """One issue with what its detail, allowed_actions and timeline need (and `is_overdue` now);
    404 outside scope.

    The enterprise side (see sees_internal) gets the live shares only: a returned or cancelled share
    is an internal step, like the return in the timeline. The workflow asks about live shares only,
    so allowed_actions is the same either way."""
    shares = IssueShare.objects.select_related("unit").order_by("role", "pk")
    if not sees_internal(user):
        shares = shares.filter(status__in=LIVE_SHARES)
    queryset = (
        with_enterprise_link(Issue.objects.visible_to(user), user)
        .with_overdue(timezone.now())
        .select_related("enterprise", "chain", "category", "lead_unit", "session", "submitted_by")
        .prefetch_related(
            Prefetch("shares", queryset=shares),
            Prefetch("extension_requests", queryset=ExtensionRequest.objects.order_by("-created_at")),
            Prefetch(
                "supervisions",
                queryset=Supervision.objects.select_related("supervised_by", "replied_by").order_by("created_at", "pk"),
            ),
            Prefetch("urges", queryset=Urge.objects.order_by("created_at", "pk")),
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


def list_complaint_sessions_for_user(user) -> QuerySet[ComplaintSession]:
    """吐槽大会 sessions in the user's scope (ComplaintSessionQuerySet.scope).

    Seeing a session is not seeing what is in it: `issue_count` counts the session's issues the user
    may see, and `visible_chain_id` / `visible_chain_name` name its chain only when the user may see
    that chain (else NULL). The chain itself is not loaded."""
    scoped = (
        ComplaintSession.objects.visible_to(user)
        .select_related("industry_committee", "host_unit")
        .order_by("-held_on", "-pk")
    )
    chain_in_scope = Q(chain__in=Chain.objects.visible_to(user).values("pk"))
    return scoped.annotate(
        issue_count=Count("issues", filter=Q(issues__in=Issue.objects.visible_to(user).values("pk"))),
        visible_chain_id=Case(When(chain_in_scope, then=F("chain_id")), default=None, output_field=IntegerField()),
        visible_chain_name=Case(When(chain_in_scope, then=F("chain__name")), default=None, output_field=CharField()),
    )


def _pending_reply_by_of_share():
    pending = Supervision.objects.filter(issue=OuterRef("issue_id"), replied_at__isnull=True).order_by()
    return pending.values("issue").annotate(day=Min("reply_by")).values("day")


def list_queue_for_user(user) -> QuerySet[IssueShare]:
    """我的待办: the shares of the user's unit waiting for a signature or an answer, on issues the user
    may see that are still being handled; the nearest deadline first. Empty without a unit.

    Each share has its `due` instant — a share waiting for its signature runs on the issue's
    sign-for clock, a signed one on its own due date — and `past_due`, past it now (None without
    a deadline). Not the issue's "overdue" (IssueQuerySet.overdue: past the resolve deadline)."""
    if not getattr(user, "unit_id", None):
        return IssueShare.objects.none()
    return (
        IssueShare.objects.filter(
            unit_id=user.unit_id,
            status__in=[ShareStatus.PENDING, ShareStatus.SIGNED],
            issue__in=Issue.objects.visible_to(user).filter(status__in=HANDLING_STATUSES).values("pk"),
        )
        .annotate(due=Case(When(status=ShareStatus.PENDING, then=F("issue__sign_due_at")), default=F("due_at")))
        .annotate(past_due=ExpressionWrapper(Q(due__lt=timezone.now()), output_field=BooleanField()))
        # The lead unit owes the answer to a supervision (督办): the earliest day one is due.
        .annotate(
            reply_by=Case(
                When(role=ShareRole.LEAD, then=Subquery(_pending_reply_by_of_share())),
                default=None,
                output_field=DateField(),
            )
        )
        .annotate(reply_overdue=ExpressionWrapper(Q(reply_by__lt=timezone.localdate()), output_field=BooleanField()))
        .select_related("issue__enterprise", "issue__category", "issue__chain")
        .order_by("due_at", "pk")
    )


def _count_of(model, **filters):
    """Per issue (OuterRef "pk"), how many `model` rows match: one subquery."""
    counted = model.objects.filter(issue=OuterRef("pk"), **filters).order_by().values("issue").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def _first_pending_reply_by():
    pending = Supervision.objects.filter(issue=OuterRef("pk"), replied_at__isnull=True).order_by()
    return Subquery(pending.values("issue").annotate(day=Min("reply_by")).values("day"))


def ladder_scope(user) -> Q:
    """督办件: the issues the escalation ladder has brought to `user` (issues.workflow.LADDER), as a
    condition on Issue. The lead unit's industry party committee from level 1, the chain leader from
    2, district staff at the district's rung (3), a park chief their parks' from level 1."""
    rungs = Q(pk__in=[])
    if user.is_district_staff:
        rungs |= Q(escalation_level__gte=DISTRICT_RUNG)
    if user.has_role(Role.UNIT_HANDLER) and user.unit_id:
        rungs |= Q(escalation_level__gte=LADDER[Overseer.COMMITTEE], lead_unit__industry_committee_id=user.unit_id)
    if user.has_role(Role.CHAIN_LEADER):
        led = Chain.objects.filter(leaderships__user=user).values("pk")
        rungs |= Q(escalation_level__gte=LADDER[Overseer.CHAIN_LEADER], chain__in=led)
    if user.has_role(Role.PARK_CHIEF):
        parks = Park.objects.filter(chiefs=user).values("pk")
        rungs |= Q(escalation_level__gte=LADDER[Overseer.PARK_CHIEF], enterprise__park__in=parks)
    return rungs


def _supervision_queue(user) -> IssueQuerySet:
    return Issue.objects.visible_to(user).filter(ladder_scope(user), status__in=HANDLING_STATUSES)


def count_supervision_queue_for_user(user) -> int:
    """How many issues wait in the user's 督办件 (list_supervision_queue_for_user): one COUNT, without
    the list's annotations, for the menu's badge (issues.badges)."""
    return _supervision_queue(user).count()


def list_supervision_queue_for_user(user) -> QuerySet[Issue]:
    """督办件: the issues still being handled that the ladder has brought to the user (ladder_scope),
    the highest level first, then the nearest deadline. Each with `is_overdue`, `urge_count`,
    `supervision_count`, `reply_by` (the earliest day an unanswered supervision is due, or None) and
    `reply_overdue` (that day has passed)."""
    today = timezone.localdate()
    return (
        _supervision_queue(user)
        .with_overdue(timezone.now())
        .annotate(
            urge_count=_count_of(Urge),
            supervision_count=_count_of(Supervision),
            reply_by=_first_pending_reply_by(),
        )
        .annotate(reply_overdue=ExpressionWrapper(Q(reply_by__lt=today), output_field=BooleanField()))
        .select_related("enterprise", "chain", "category", "lead_unit")
        .order_by("-escalation_level", "resolve_due_at", "pk")
    )


def list_agenda_candidates(*, chain_id: int, at) -> QuerySet[Issue]:
    """The chain's open issues that its quarterly meeting takes up (design §4.7), each with why:
    `reached_leader` (the ladder's level 2, the chain leader, or beyond), `escalated` (level 1 or
    more), `is_overdue` (past the resolve deadline at `at`), `joint_open` (joint handling still being
    handled) and `unsatisfied` (the enterprise rated an answer unsatisfied). Not scoped: the caller
    (the meeting's agenda) is shown to the people the meeting is for."""
    unsatisfied = Rating.objects.filter(issue=OuterRef("pk"), satisfaction=Satisfaction.UNSATISFIED)
    joint_open = Q(dispatch_mode=DispatchMode.JOINT, status__in=HANDLING_STATUSES)
    return (
        Issue.objects.filter(chain_id=chain_id, status__in=OPEN_STATUSES)
        .filter(overdue_q(at) | Q(escalation_level__gte=1) | joint_open | Exists(unsatisfied))
        .annotate(
            reached_leader=ExpressionWrapper(Q(escalation_level__gte=2), output_field=BooleanField()),
            escalated=ExpressionWrapper(Q(escalation_level__gte=1), output_field=BooleanField()),
            is_overdue=Case(When(overdue_q(at), then=True), default=False, output_field=BooleanField()),
            joint_open=ExpressionWrapper(joint_open, output_field=BooleanField()),
            unsatisfied=Exists(unsatisfied),
        )
        .order_by("-escalation_level", "resolve_due_at", "pk")
    )


# --- files kept from refused submissions (issues.services.uploads) -------------------------------
def list_staged_uploads_for_user(user: AnyUser) -> QuerySet[StagedUpload]:
    """The files a person keeps from refused tries, oldest first: only ever the person's own (district
    staff included: a staged file is nobody's business but its uploader's)."""
    if not (user.is_authenticated and user.is_active):
        return StagedUpload.objects.none()
    return StagedUpload.objects.filter(owner=user).order_by("created_at", "pk")


def staged_on_form(user: AnyUser, token: str | None) -> QuerySet[StagedUpload]:
    """The files a person kept on one form (its token)."""
    if not token:
        return StagedUpload.objects.none()
    return list_staged_uploads_for_user(user).filter(token=token)
