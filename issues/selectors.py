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
    ExtensionStatus,
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
    Status,
    Supervision,
    Urge,
    overdue_q,
)
from issues.workflow import DISTRICT_RUNG, LADDER

IssuesT = TypeVar("IssuesT", bound=QuerySet[Issue])

INTERNAL_ROLES = (Role.DISTRICT_STAFF, Role.UNIT_HANDLER, Role.CHAIN_LEADER)


def visible_issues_for_user(user) -> IssueQuerySet:
    """The issues a user may see, newest first: the rows of the list, for a page read as values (the
    API's, issues.serializers.ISSUE_LIST_COLUMNS), which needs none of what instances do below."""
    return Issue.objects.visible_to(user).order_by("-created_at", "-pk")


def list_issues_for_user(user) -> QuerySet[Issue]:
    """The issues a user may see, newest first, each with `is_overdue` now."""
    return (
        visible_issues_for_user(user)
        .with_overdue(timezone.now())
        .select_related("enterprise", "chain", "category", "lead_unit")
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


# --- the role homes (issue 14: each role's home page is its dashboard) ---------------------------
# Each count is one query in the user's scope, and the count of the list the home links it to: the
# same condition as one of the issue list's filters (IssueFilter), or a part of the queue
# (QUEUE_PARTS, the queue page's ?show=).
def count_issues_in_status_for_user(user, status: str) -> int:
    """The issues in one status (to accept: submitted; to dispatch: accepted): ?status=."""
    return Issue.objects.visible_to(user).filter(status=status).count()


def count_issues_with_pending_extension_for_user(user) -> int:
    """The issues whose lead unit asked for more time and waits for the decision: ?extension=pending.
    At most one pending request per issue (extension_one_pending_per_issue), so this is also the number
    of requests to decide."""
    pending = ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING).values("issue_id")
    return Issue.objects.visible_to(user).filter(pk__in=pending).count()


def count_open_issues_at_level_for_user(user, level: int = DISTRICT_RUNG) -> int:
    """The open issues the ladder has taken to `level` (3: the district committee's):
    ?escalation_level=3&open=true."""
    return Issue.objects.visible_to(user).open().filter(escalation_level=level).count()


# The queue's parts (我的待办, list_queue_for_user), the home's counts and the queue page's ?show=: what
# waits for the unit's signature, the final answers it owes as lead unit, the parts it owes as a
# co-handling unit (signed, not yet replied) — the three add up to the queue — and, across them, the
# shares past their deadline now (the queue's red rows).
QUEUE_PARTS = {
    "sign": Q(status=ShareStatus.PENDING),
    "answer": Q(status=ShareStatus.SIGNED, role=ShareRole.LEAD),
    "co": Q(status=ShareStatus.SIGNED, role=ShareRole.CO),
    "late": Q(past_due=True),
}


def queue_counts_for_user(user) -> dict[str, int]:
    """How many shares of the user's queue are in each of QUEUE_PARTS, and `total`: one query."""
    counts = {name: Count("pk", filter=part) for name, part in QUEUE_PARTS.items()}
    return list_queue_for_user(user).order_by().aggregate(total=Count("pk"), **counts)


def issue_counts_by_chain(*, chain_ids) -> dict[int, dict[str, int]]:
    """Chain id -> its `open` issues and those of them `escalated` (ladder level 1 or more): the
    chain's facts, every issue of it, as the chain's dashboard counts them (issues.figures). Not
    scoped: the caller shows them for chains the user may open (the chains they lead). One grouped
    query; a chain without an issue is missing."""
    rows = (
        Issue.objects.filter(chain_id__in=chain_ids, status__in=OPEN_STATUSES)
        .order_by()
        .values("chain_id")
        .annotate(open=Count("pk"), escalated=Count("pk", filter=Q(escalation_level__gte=1)))
    )
    return {row["chain_id"]: {"open": row["open"], "escalated": row["escalated"]} for row in rows}


def issue_counts_by_park(*, park_ids) -> dict[int, dict[str, int]]:
    """Park id -> the `open` issues of its enterprises and those `escalated`: the park's facts (the
    park's dashboard's). Not scoped: for the parks the user is chief of. One grouped query."""
    rows = (
        Issue.objects.filter(enterprise__park_id__in=park_ids, status__in=OPEN_STATUSES)
        .order_by()
        .values("enterprise__park_id")
        .annotate(open=Count("pk"), escalated=Count("pk", filter=Q(escalation_level__gte=1)))
    )
    return {row["enterprise__park_id"]: {"open": row["open"], "escalated": row["escalated"]} for row in rows}


def open_issue_counts_by_enterprise(user, *, enterprise_ids) -> dict[int, int]:
    """Enterprise id -> its open issues that the user may see (?enterprise=&open=true). One query."""
    rows = (
        Issue.objects.visible_to(user)
        .open()
        .filter(enterprise_id__in=enterprise_ids)
        .order_by()
        .values("enterprise_id")
        .annotate(n=Count("pk"))
    )
    return {row["enterprise_id"]: row["n"] for row in rows}


def _running_deadline() -> Case:
    """The deadline that runs now for the enterprise: acceptance while submitted, resolution while
    being handled, its own rating once resolved; none while accepted and waiting for dispatch."""
    return Case(
        When(status=Status.SUBMITTED, then=F("accept_due_at")),
        When(status__in=HANDLING_STATUSES, then=F("resolve_due_at")),
        When(status=Status.RESOLVED, then=F("rate_due_at")),
        default=None,
    )


def enterprise_issue_counts_for_user(user, *, at) -> dict[str, int]:
    """The enterprise side's home: its `open` issues (?open=true) and those resolved and waiting for
    its rating within the rating window (`to_rate`, ?status=resolved; the sweep closes the others
    unrated within the minute). One query."""
    return (
        Issue.objects.visible_to(user)
        .open()
        .order_by()
        .aggregate(
            open=Count("pk"),
            to_rate=Count("pk", filter=Q(status=Status.RESOLVED, rate_due_at__gte=at)),
        )
    )


def list_issues_in_handling_for_user(user) -> QuerySet[Issue]:
    """Open issues that are not yet answered (submitted, accepted, dispatched, in progress), each
    with `due`, the deadline that runs now (_running_deadline), the nearest first."""
    return (
        Issue.objects.visible_to(user)
        .open()
        .exclude(status=Status.RESOLVED)
        .annotate(due=_running_deadline())
        .select_related("category")
        .order_by(F("due").asc(nulls_last=True), "-created_at", "pk")
    )


def list_issues_to_rate_for_user(user, *, at) -> QuerySet[Issue]:
    """Resolved issues whose rating window is still open at `at`, the nearest end of it first."""
    return (
        Issue.objects.visible_to(user)
        .filter(status=Status.RESOLVED, rate_due_at__gte=at)
        .select_related("category", "lead_unit")
        .order_by("rate_due_at", "pk")
    )
