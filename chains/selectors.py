"""Reads shared by pages, API and (later) dashboards. Every list starts from .visible_to(user)."""

from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, CharField, Count, F, IntegerField, Prefetch, Q, QuerySet, When, Window
from django.db.models.functions import RowNumber

from accounts.models import AnyUser
from accounts.roles import Role
from chainparty.scope import in_business_scope, sees_everything
from chains.models import (
    SME_SIZES,
    Chain,
    ChainLeadership,
    ChainMaster,
    ChainMasterStatus,
    ChainMembership,
    ChainSegment,
    CultivationMeasure,
    Enterprise,
    EnterpriseHonour,
    Honour,
    MeasureStatus,
    Park,
    SegmentPosition,
    TaskForceMember,
)

# Upstream, midstream, downstream: the order of the chain map (not the alphabetical order of the codes).
_POSITION_ORDER = {position: index for index, position in enumerate(SegmentPosition.values)}


def list_chains_for_user(user: AnyUser) -> QuerySet[Chain]:
    visible = Enterprise.objects.visible_to(user).values("pk")
    return (
        Chain.objects.visible_to(user)
        .select_related("lead_unit", "industry_committee")
        .prefetch_related(
            Prefetch("leaderships", queryset=ChainLeadership.objects.select_related("user")),
            Prefetch(
                "masters",
                queryset=ChainMaster.objects.filter(
                    status=ChainMasterStatus.DESIGNATED, enterprise__in=visible
                ).select_related("enterprise"),
                to_attr="designated_masters",
            ),
        )
        .annotate(enterprise_count=Count("memberships", filter=Q(memberships__enterprise__in=visible)))
        .order_by("name")
    )


def _visible_memberships(user: AnyUser) -> QuerySet[ChainMembership]:
    # An enterprise may also sit on a chain the user does not see (a chain leader sees the
    # enterprises of their chains only); such memberships are left out, so nothing names a chain
    # outside the user's scope. District staff see every chain: no subquery over them.
    memberships = ChainMembership.objects.order_by("chain__name")
    if sees_everything(user):
        return memberships
    return memberships.filter(chain__in=Chain.objects.visible_to(user).values("pk"))


def _honours() -> QuerySet[EnterpriseHonour]:
    return EnterpriseHonour.objects.order_by("honour")


def list_enterprises_for_user(user: AnyUser) -> QuerySet[Enterprise]:
    return (
        Enterprise.objects.visible_to(user)
        .select_related("park")
        .prefetch_related(
            Prefetch("honours", queryset=_honours()),
            Prefetch("memberships", queryset=_visible_memberships(user).select_related("chain", "segment")),
        )
        .order_by("name", "pk")
    )


# A page's parts as two hand-written statements, not querysets: for 50 enterprises, building and
# compiling the two querysets cost 1.5 ms of a 10 ms request (issue 13, docs/benchmarks.md). They
# ask what the prefetches of list_enterprises_for_user ask, the same rows in the same order (the API
# tests compare the list with EnterpriseSerializer over those prefetches). Plain SQL for PostgreSQL
# and SQLite alike; the chains a user sees come from Chain.visible_to, compiled as a subquery.
_HONOURS_SQL = (
    "SELECT h.enterprise_id, h.honour, h.year FROM chains_enterprisehonour h "
    "WHERE h.enterprise_id IN ({ids}) ORDER BY h.honour"
)
_MEMBERSHIPS_SQL = (
    "SELECT m.enterprise_id, m.chain_id, c.name, m.segment_id, g.name, g.position "
    "FROM chains_chainmembership m "
    "JOIN chains_chain c ON c.id = m.chain_id JOIN chains_chainsegment g ON g.id = m.segment_id "
    "WHERE m.enterprise_id IN ({ids}){chains} ORDER BY c.name"
)


def enterprise_page_parts(user: AnyUser, enterprise_ids: list[int]) -> tuple[dict, dict]:
    """The honours and the memberships (on chains the user sees) of a page of enterprises, as
    list_enterprises_for_user prefetches them: {enterprise id: [(honour, year), ...]} and
    {enterprise id: [(chain id, chain name, segment id, segment name, segment position), ...]}, in
    the same order. Two queries, none for an empty page (as prefetching)."""
    honours: dict[int, list[tuple]] = {}
    memberships: dict[int, list[tuple]] = {}
    if not enterprise_ids:
        return honours, memberships
    ids = ", ".join(["%s"] * len(enterprise_ids))
    chains, chain_params = "", ()
    if not sees_everything(user):
        try:
            sql, chain_params = Chain.objects.visible_to(user).values("pk").query.sql_with_params()
            chains = f" AND m.chain_id IN ({sql})"
        except EmptyResultSet:  # no chain at all: no membership to show
            chains = " AND 1 = 0"
    with connection.cursor() as cursor:
        cursor.execute(_HONOURS_SQL.format(ids=ids), enterprise_ids)
        for enterprise_id, *honour in cursor.fetchall():
            honours.setdefault(enterprise_id, []).append(tuple(honour))
        # Identifiers from this module and a compiled queryset; every value is a parameter.
        cursor.execute(_MEMBERSHIPS_SQL.format(ids=ids, chains=chains), [*enterprise_ids, *chain_params])
        for enterprise_id, *membership in cursor.fetchall():
            memberships.setdefault(enterprise_id, []).append(tuple(membership))
    return honours, memberships


def list_parks_for_user(user: AnyUser) -> QuerySet[Park]:
    return Park.objects.visible_to(user).select_related("management_unit").prefetch_related("chiefs", "facilities")


SegmentT = TypeVar("SegmentT", bound=ChainSegment)


def upstream_first(segments: Iterable[SegmentT]) -> list[SegmentT]:
    """Segments in the chain map's order: upstream to downstream, then their order, then name."""
    return sorted(segments, key=lambda segment: (_POSITION_ORDER[segment.position], segment.order, segment.name))


def segment_map(*, chain: Chain, user: AnyUser, limit: int | None = None) -> list[dict]:
    """The chain's segments, upstream to downstream, each with the enterprises on it that the user may see.

    Each entry: ``segment``, ``count`` (visible enterprises on it) and ``enterprises`` (by name; at most
    ``limit`` of them when given). A chain can hold thousands of enterprises, so the limit is applied in
    SQL with a window function; two queries whatever the size.
    """
    visible = Enterprise.objects.visible_to(user).values("pk")
    on_segment = Q(memberships__enterprise__in=visible)
    segments = upstream_first(chain.segments.annotate(visible_count=Count("memberships", filter=on_segment)))
    memberships = (
        ChainMembership.objects.filter(chain=chain, enterprise__in=visible)
        .select_related("enterprise")
        .order_by("segment_id", "enterprise__name", "enterprise_id")
    )
    if limit is not None:
        rank = Window(RowNumber(), partition_by=[F("segment_id")], order_by=[F("enterprise__name"), F("enterprise_id")])
        memberships = memberships.annotate(rank=rank).filter(rank__lte=limit)
    by_segment: dict[int, list[Enterprise]] = {}
    for membership in memberships:
        by_segment.setdefault(membership.segment_id, []).append(membership.enterprise)
    return [
        {"segment": segment, "count": segment.visible_count, "enterprises": by_segment.get(segment.pk, [])}
        for segment in segments
    ]


def list_parks_with_counts_for_user(user: AnyUser) -> QuerySet[Park]:
    """Parks in scope, each with `enterprise_count`: the enterprises in it that the user may see."""
    visible = Enterprise.objects.visible_to(user).values("pk")
    # distinct: Park.visible_to joins the chiefs, which would multiply the count for a park with
    # several chiefs.
    # order_by again: Meta.ordering is dropped from queries with GROUP BY.
    return (
        list_parks_for_user(user)
        .annotate(enterprise_count=Count("enterprises", filter=Q(enterprises__in=visible), distinct=True))
        .order_by("name")
    )


def list_chain_masters_for_user(user: AnyUser) -> QuerySet[ChainMaster]:
    """Chain masters in scope with their chain, enterprise, task force and measures loaded (the total
    score is the model's property, summed from the loaded scores).

    A seconded member's home enterprise is named only to a user who may see that enterprise: each
    member carries `seconded_from_id` and `seconded_from_name`, NULL otherwise. Pages and API show
    those, never `from_enterprise`."""
    return (
        ChainMaster.objects.visible_to(user)
        .select_related("chain", "enterprise")
        .prefetch_related(Prefetch("task_force", queryset=_task_force_for(user)), "measures")
    )


def _task_force_for(user: AnyUser) -> QuerySet[TaskForceMember]:
    home_in_scope = Q(from_enterprise__in=Enterprise.objects.visible_to(user).values("pk"))
    return TaskForceMember.objects.annotate(
        seconded_from_id=Case(
            When(home_in_scope, then=F("from_enterprise_id")), default=None, output_field=IntegerField()
        ),
        seconded_from_name=Case(
            When(home_in_scope, then=F("from_enterprise__name")), default=None, output_field=CharField()
        ),
    )


# --- facts for the dashboards ------------------------------------------------------------------
# A dashboard shows a chain's or a park's facts, not what one user's scope holds of them: the caller
# has checked that the user may open that chain or park (dashboards.subjects), and these reads take
# the whole registry behind it.
def enterprises_of(*, chain_id: int | None = None, park_id: int | None = None) -> QuerySet[Enterprise]:
    """The registry behind a dashboard: the district's (no argument), a chain's members or a park's."""
    enterprises = Enterprise.objects.all()
    if chain_id is not None:
        enterprises = enterprises.filter(
            pk__in=ChainMembership.objects.filter(chain_id=chain_id).values("enterprise_id")
        )
    if park_id is not None:
        enterprises = enterprises.filter(park_id=park_id)
    return enterprises


def registry_figures(enterprises: QuerySet[Enterprise]) -> dict[str, int]:
    """One query: enterprises, SMEs, and the enterprises holding each honour (any year), keyed by the
    Honour value. DISTINCT because the honours join repeats an enterprise with several honours."""
    honours = {honour.value: Count("pk", distinct=True, filter=Q(honours__honour=honour.value)) for honour in Honour}
    return enterprises.order_by().aggregate(
        enterprises=Count("pk", distinct=True),
        smes=Count("pk", distinct=True, filter=Q(size_class__in=SME_SIZES)),
        **honours,
    )


def list_chains_with_masters(chain_ids: list[int] | None = None) -> QuerySet[Chain]:
    """Chains (all, or those of `chain_ids`) by name, each with `member_count` (its enterprises, the
    facts) and `designated_masters` (its designated chain masters with their enterprise): two queries."""
    chains = Chain.objects.all() if chain_ids is None else Chain.objects.filter(pk__in=chain_ids)
    return (
        chains.select_related("lead_unit")
        .prefetch_related(
            Prefetch(
                "masters",
                queryset=ChainMaster.objects.filter(status=ChainMasterStatus.DESIGNATED)
                .select_related("enterprise")
                .order_by("enterprise__name"),
                to_attr="designated_masters",
            )
        )
        .annotate(member_count=Count("memberships"))
        .order_by("name")
    )


def cultivation_progress(chain_ids: list[int] | None = None) -> dict[str, int]:
    """The cultivation measures of designated chain masters (§4.2), cancelled ones left out: how many,
    and how many of them are in progress and done. One query."""
    measures = CultivationMeasure.objects.filter(chain_master__status=ChainMasterStatus.DESIGNATED).exclude(
        status=MeasureStatus.CANCELLED
    )
    if chain_ids is not None:
        measures = measures.filter(chain_master__chain_id__in=chain_ids)
    return measures.aggregate(
        measures=Count("pk"),
        in_progress=Count("pk", filter=Q(status=MeasureStatus.IN_PROGRESS)),
        done=Count("pk", filter=Q(status=MeasureStatus.DONE)),
    )


def list_dashboard_chains_for_user(user: AnyUser) -> QuerySet[Chain]:
    """The chains whose dashboard a user may open: every chain for district staff, the chains they
    lead (链长 or 副链长) for a chain leader, none for anyone else (a unit or an enterprise reads its
    chain's pages, not the leaders' review of it)."""
    if not in_business_scope(user):
        return Chain.objects.none()
    if user.is_district_staff:
        return Chain.objects.all()
    if user.has_role(Role.CHAIN_LEADER):
        return Chain.objects.filter(pk__in=ChainLeadership.objects.filter(user=user).values("chain_id"))
    return Chain.objects.none()


def list_dashboard_parks_for_user(user: AnyUser) -> QuerySet[Park]:
    """The parks whose dashboard a user may open: every park for district staff, the parks they are
    chief of for a park chief (园长), none for anyone else."""
    if not in_business_scope(user):
        return Park.objects.none()
    if user.is_district_staff:
        return Park.objects.all()
    if user.has_role(Role.PARK_CHIEF):
        return Park.objects.filter(pk__in=Park.chiefs.through.objects.filter(user=user).values("park_id"))
    return Park.objects.none()


# --- the role homes (issue 14) -----------------------------------------------------------------
def list_chains_led_by(user: AnyUser) -> QuerySet[Chain]:
    """The chains the user leads (链长 or 副链长), by name, with the facts of list_chains_with_masters:
    `member_count` (every enterprise of the chain, not the user's share of it) and
    `designated_masters`. Two queries."""
    if not in_business_scope(user) or not user.has_role(Role.CHAIN_LEADER):
        return Chain.objects.none()
    return list_chains_with_masters().filter(pk__in=ChainLeadership.objects.filter(user=user).values("chain_id"))


def list_parks_led_by(user: AnyUser) -> QuerySet[Park]:
    """The parks the user is chief of (园长), by name, each with `enterprise_count`: every enterprise
    in the park. One query."""
    if not in_business_scope(user) or not user.has_role(Role.PARK_CHIEF):
        return Park.objects.none()
    return (
        Park.objects.filter(pk__in=Park.chiefs.through.objects.filter(user=user).values("park_id"))
        .annotate(enterprise_count=Count("enterprises"))
        .order_by("name")
    )
