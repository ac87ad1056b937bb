"""Pages for chains, enterprises and parks: parse, fetch through the selectors (scope is theirs), render."""

from django.shortcuts import render

from accounts.decorators import business_page
from chainparty.pages import paginate
from chainparty.scope import get_visible_or_404
from chains.filters import ChainFilter, EnterpriseFilter, ParkFilter
from chains.models import (
    Chain,
    ChainMasterStatus,
    ChainMembership,
    Enterprise,
    FacilityKind,
    Park,
    SegmentPosition,
)
from chains.selectors import (
    list_chain_masters_for_user,
    list_chains_for_user,
    list_enterprises_for_user,
    list_parks_with_counts_for_user,
    segment_map,
)

ENTERPRISES_PER_SEGMENT = 12
ENTERPRISES_ON_PARK_PAGE = 25


def _chains_by_park(user, park_ids) -> dict[int, list[Chain]]:
    """The visible chains that have visible enterprises in each park, in one query."""
    rows = (
        ChainMembership.objects.filter(
            enterprise__park_id__in=park_ids,
            enterprise__in=Enterprise.objects.visible_to(user).values("pk"),
            chain__in=Chain.objects.visible_to(user).values("pk"),
        )
        .values_list("enterprise__park_id", "chain_id", "chain__name", "chain__code")
        .distinct()
        .order_by("enterprise__park_id", "chain__name")
    )
    by_park: dict[int, list[Chain]] = {}
    for park_id, chain_id, name, code in rows:
        by_park.setdefault(park_id, []).append(Chain(pk=chain_id, name=name, code=code))
    return by_park


# --- chains -----------------------------------------------------------------------------------
@business_page
def chain_list(request):
    user = request.user
    filterset = ChainFilter(request.GET or None, queryset=list_chains_for_user(user), user=user)
    context = {**paginate(request, filterset.page_rows()), "form": filterset.form}
    return render(request, "chains/chain_list.html", context)


@business_page
def chain_detail(request, code):
    user = request.user
    chain = get_visible_or_404(list_chains_for_user(user), code=code)
    segments = segment_map(chain=chain, user=user, limit=ENTERPRISES_PER_SEGMENT)
    columns = [
        {"position": position, "label": label, "segments": [s for s in segments if s["segment"].position == position]}
        for position, label in SegmentPosition.choices
    ]
    masters = (
        list_chain_masters_for_user(user)
        .filter(chain=chain)
        .exclude(status=ChainMasterStatus.REVOKED)
        # The designated chain master first, then the candidates ("designated" sorts after "candidate").
        .order_by("-status", "enterprise__name")
    )
    context = {
        "chain": chain,
        "columns": columns,
        "masters": masters,
        "cooperating_units": chain.cooperating_units.all(),
        "parks": chain.parks.filter(pk__in=Park.objects.visible_to(user).values("pk")),
        "per_segment": ENTERPRISES_PER_SEGMENT,
    }
    return render(request, "chains/chain_detail.html", context)


# --- enterprises ------------------------------------------------------------------------------
@business_page
def enterprise_list(request):
    user = request.user
    filterset = EnterpriseFilter(request.GET or None, queryset=list_enterprises_for_user(user), user=user)
    context = {**paginate(request, filterset.page_rows()), "filter": filterset, "form": filterset.form}
    return render(request, "chains/enterprise_list.html", context)


@business_page
def enterprise_detail(request, pk):
    user = request.user
    enterprise = get_visible_or_404(list_enterprises_for_user(user), pk=pk)
    designations = list_chain_masters_for_user(user).filter(enterprise=enterprise).prefetch_related(None)
    context = {"enterprise": enterprise, "designations": designations}
    return render(request, "chains/enterprise_detail.html", context)


# --- parks ------------------------------------------------------------------------------------
@business_page
def park_list(request):
    user = request.user
    filterset = ParkFilter(request.GET or None, queryset=list_parks_with_counts_for_user(user), user=user)
    context = {**paginate(request, filterset.page_rows()), "form": filterset.form}
    parks = list(context["rows"])
    chains = _chains_by_park(user, [park.pk for park in parks])
    context["rows"] = [{"park": park, "chains": chains.get(park.pk, [])} for park in parks]
    return render(request, "chains/park_list.html", context)


@business_page
def park_detail(request, pk):
    user = request.user
    park = get_visible_or_404(list_parks_with_counts_for_user(user), pk=pk)
    facilities = list(park.facilities.all())
    context = {
        "park": park,
        "chains": _chains_by_park(user, [park.pk]).get(park.pk, []),
        "venues": [f for f in facilities if f.kind == FacilityKind.VENUE],
        "platforms": [f for f in facilities if f.kind == FacilityKind.PLATFORM],
        "enterprises": Enterprise.objects.visible_to(user)
        .filter(park=park)
        .order_by("name", "pk")[:ENTERPRISES_ON_PARK_PAGE],
        "enterprises_shown": ENTERPRISES_ON_PARK_PAGE,
    }
    return render(request, "chains/park_detail.html", context)
