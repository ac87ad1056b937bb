"""Reads of cadres' postings that other apps rely on (scope, who hears of an enterprise's issue),
and the reads this app's pages and API share. Other apps call these instead of querying the posting
model, so its shape stays this app's.

chains.models imports this module at start-up: nothing here imports chains at module level."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import AnyUser, User
from secretaries.models import ENTERPRISE_KINDS, Cadre, Posting, PostingKind, PostingStatus, WorkLog, WorkLogKind


def enterprise_ids_posted_to(cadre: User) -> QuerySet[Posting, int]:
    """Ids of the enterprises the cadre (a user) is posted to today as first secretary or instructor
    (a subquery: use it with ``__in``)."""
    return (
        Posting.objects.active()
        .filter(cadre__user=cadre, kind__in=ENTERPRISE_KINDS)
        .values_list("enterprise_id", flat=True)
    )


def cadre_ids_posted_to(enterprise_id: int) -> QuerySet[Posting, int]:
    """Ids of the users (cadres with an account) posted to the enterprise today (a subquery: use it
    with ``__in``)."""
    return (
        Posting.objects.active()
        .filter(enterprise_id=enterprise_id, cadre__user__isnull=False)
        .values_list("cadre__user_id", flat=True)
    )


# --- this app's pages and API ------------------------------------------------------------------
def list_cadres_for_user(user: AnyUser) -> QuerySet[Cadre]:
    active = Q(postings__status=PostingStatus.ACTIVE)
    return (
        Cadre.objects.visible_to(user)
        .select_related("source_unit")
        .annotate(active_postings=Count("postings", filter=active))
        .order_by("name", "pk")
    )


def list_postings_for_user(user: AnyUser) -> QuerySet[Posting]:
    return (
        Posting.objects.visible_to(user)
        .select_related("cadre", "cadre__source_unit", "enterprise", "park")
        .annotate(log_count=Count("work_logs"))
        .order_by("-start_date", "-pk")
    )


def get_posting_for_user(user: AnyUser, pk: object) -> Posting:
    from chainparty.scope import get_visible_or_404

    logs = WorkLog.objects.select_related("author").order_by("-date", "-pk")
    queryset = list_postings_for_user(user).prefetch_related(Prefetch("work_logs", queryset=logs))
    return get_visible_or_404(queryset, pk=pk)


def list_work_logs_for_user(user: AnyUser) -> QuerySet[WorkLog]:
    return (
        WorkLog.objects.visible_to(user)
        .select_related("posting", "posting__cadre", "posting__enterprise", "posting__park", "author")
        .order_by("-date", "-pk")
    )


def list_own_postings(user: AnyUser) -> QuerySet[Posting]:
    """A cadre's own postings, active first (the first secretary's page)."""
    if not user.is_authenticated:
        return Posting.objects.none()
    return list_postings_for_user(user).filter(cadre__user=user).order_by("status", "-start_date", "-pk")


# --- figures for the dashboards (issue 8), each one grouped query ------------------------------
def active_postings_by_chain(on=None) -> dict[int, int]:
    """Chain id → active first-secretary and instructor postings to its enterprises."""
    rows = (
        Posting.objects.active(on)
        .filter(kind__in=ENTERPRISE_KINDS)
        .order_by()
        .values("enterprise__memberships__chain_id")
        .annotate(n=Count("pk", distinct=True))
    )
    return {
        row["enterprise__memberships__chain_id"]: row["n"] for row in rows if row["enterprise__memberships__chain_id"]
    }


def active_postings_by_source_unit(on=None) -> dict[int, int]:
    """Source unit id → active postings (every kind) of its cadres."""
    rows = Posting.objects.active(on).order_by().values("cadre__source_unit_id").annotate(n=Count("pk"))
    return {row["cadre__source_unit_id"]: row["n"] for row in rows}


def problems_solved_by_cadre() -> dict[int, int]:
    """Cadre id → work logs of kind "problem solved" on their postings."""
    rows = (
        WorkLog.objects.filter(kind=WorkLogKind.PROBLEM_SOLVED)
        .order_by()
        .values("posting__cadre_id")
        .annotate(n=Count("pk"))
    )
    return {row["posting__cadre_id"]: row["n"] for row in rows}


def enterprise_ids_with_work_coverage(on: date | None = None) -> QuerySet[Posting, int]:
    """Ids of the enterprises with an active first secretary or party-building instructor on the day
    (today by default): the "work coverage" of design §4.3 (a subquery: use it with ``__in``)."""
    return Posting.objects.active(on).filter(kind__in=ENTERPRISE_KINDS).values_list("enterprise_id", flat=True)


def ran_on(day: date) -> Q:
    """A posting that ran on a past day, from its dates whatever its status now (a posting ended since
    still counts for the days it ran): the work coverage of a trend's earlier months."""
    return (
        Q(start_date__lte=day)
        & (Q(end_date__isnull=True) | Q(end_date__gte=day))
        & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))
    )


def list_enterprise_postings() -> QuerySet[Posting]:
    """Every posting of a first secretary or instructor (the kinds that give work coverage), ever."""
    return Posting.objects.filter(kind__in=ENTERPRISE_KINDS)


def active_cadre_counts(
    *, enterprise_ids: QuerySet | None = None, park_ids: QuerySet | list | None = None, on=None
) -> dict[str, int]:
    """Cadres with an active posting on the day, by posting kind (first secretaries, instructors, park
    chiefs): every posting when neither argument is given, else those to the enterprises of
    `enterprise_ids` and the parks of `park_ids` (subqueries or lists). A cadre is counted once per
    kind however many postings they hold. One query."""
    postings = Posting.objects.active(on)
    if enterprise_ids is not None or park_ids is not None:
        where = Q(pk__in=[])
        if enterprise_ids is not None:
            where |= Q(enterprise_id__in=enterprise_ids)
        if park_ids is not None:
            where |= Q(park_id__in=park_ids)
        postings = postings.filter(where)
    counts = {
        row["kind"]: row["n"] for row in postings.order_by().values("kind").annotate(n=Count("cadre_id", distinct=True))
    }
    return {kind: counts.get(kind, 0) for kind in PostingKind.values}
