"""Reads shared by pages, API and (later) dashboards. Every list starts from .visible_to(user)."""

from django.db.models import Case, CharField, Count, F, IntegerField, Prefetch, Q, QuerySet, When, Window
from django.db.models.functions import RowNumber

from accounts.models import AnyUser
from chains.models import (
    Chain,
    ChainLeadership,
    ChainMaster,
    ChainMasterStatus,
    ChainMembership,
    Enterprise,
    EnterpriseHonour,
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


def list_enterprises_for_user(user: AnyUser) -> QuerySet[Enterprise]:
    # An enterprise may also sit on a chain the user does not see (a chain leader sees the
    # enterprises of their chains only); such memberships are left out, so nothing names a chain
    # outside the user's scope.
    visible_memberships = (
        ChainMembership.objects.filter(chain__in=Chain.objects.visible_to(user).values("pk"))
        .select_related("chain", "segment")
        .order_by("chain__name")
    )
    return (
        Enterprise.objects.visible_to(user)
        .select_related("park")
        .prefetch_related(
            Prefetch("honours", queryset=EnterpriseHonour.objects.order_by("honour")),
            Prefetch("memberships", queryset=visible_memberships),
        )
        .order_by("name", "pk")
    )


def list_parks_for_user(user: AnyUser) -> QuerySet[Park]:
    return Park.objects.visible_to(user).select_related("management_unit").prefetch_related("chiefs", "facilities")


def segment_map(*, chain: Chain, user: AnyUser, limit: int | None = None) -> list[dict]:
    """The chain's segments, upstream to downstream, each with the enterprises on it that the user may see.

    Each entry: ``segment``, ``count`` (visible enterprises on it) and ``enterprises`` (by name; at most
    ``limit`` of them when given). A chain can hold thousands of enterprises, so the limit is applied in
    SQL with a window function; two queries whatever the size.
    """
    visible = Enterprise.objects.visible_to(user).values("pk")
    on_segment = Q(memberships__enterprise__in=visible)
    segments = sorted(
        chain.segments.annotate(visible_count=Count("memberships", filter=on_segment)),
        key=lambda segment: (_POSITION_ORDER[segment.position], segment.order, segment.name),
    )
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
