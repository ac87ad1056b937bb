"""Reads shared by pages, API and (later) dashboards. Every list starts from .visible_to(user)."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from chains.models import (
    Chain,
    ChainLeadership,
    ChainMaster,
    ChainMasterStatus,
    ChainMembership,
    Enterprise,
    EnterpriseHonour,
    Park,
)


def list_chains_for_user(user) -> QuerySet[Chain]:
    visible = Enterprise.objects.visible_to(user).values("pk")
    return (
        Chain.objects.visible_to(user)
        .select_related("lead_unit", "industry_committee_unit")
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


def list_enterprises_for_user(user) -> QuerySet[Enterprise]:
    return (
        Enterprise.objects.visible_to(user)
        .select_related("park")
        .prefetch_related(
            Prefetch("honours", queryset=EnterpriseHonour.objects.order_by("honour")),
            Prefetch("memberships", queryset=ChainMembership.objects.select_related("chain", "segment")),
        )
        .order_by("name", "pk")
    )


def list_parks_for_user(user) -> QuerySet[Park]:
    return Park.objects.visible_to(user).select_related("management_unit").prefetch_related("chiefs", "facilities")


def list_chain_masters_for_user(user) -> QuerySet[ChainMaster]:
    return (
        ChainMaster.objects.visible_to(user)
        .with_total()
        .select_related("chain", "enterprise")
        .prefetch_related("task_force", "measures")
    )


def get_visible_or_404(queryset: QuerySet, **lookup):
    """The one way to fetch a single object: outside the user's scope it does not exist (404)."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def segment_map(*, chain: Chain, user) -> list[dict]:
    """The chain's segments in order, each with the enterprises on it that the user may see."""
    visible = Enterprise.objects.visible_to(user).values("pk")
    memberships = (
        ChainMembership.objects.filter(chain=chain, enterprise__in=visible)
        .select_related("enterprise")
        .order_by("enterprise__name")
    )
    by_segment: dict[int, list[Enterprise]] = {}
    for membership in memberships:
        by_segment.setdefault(membership.segment_id, []).append(membership.enterprise)
    return [{"segment": segment, "enterprises": by_segment.get(segment.pk, [])} for segment in chain.segments.all()]
