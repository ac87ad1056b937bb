"""What a dashboard is about — the district, one chain, one park — and who may open it. A dashboard
shows the facts of its subject (every enterprise of the chain, not the part of it a user's scope
holds), so access is checked here, once: a subject outside the user's reach is a 404 on every route,
page and API, as for any object (chainparty.scope)."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import AnyUser
from chainparty.scope import in_business_scope
from chains.models import Chain, Enterprise, Park
from chains.selectors import enterprises_of, list_dashboard_chains_for_user, list_dashboard_parks_for_user
from issues.figures import issues_of
from issues.models import Issue


class Kind:
    DISTRICT = "district"
    CHAIN = "chain"
    PARK = "park"


@dataclass(frozen=True)
class Subject:
    kind: str
    chain: Chain | None = None
    park: Park | None = None

    @property
    def chain_ids(self) -> list[int] | None:
        """The chains whose meetings, masters and plans count: all (None), the chain's, or the park's."""
        if self.chain is not None:
            return [self.chain.pk]
        if self.park is not None:
            return [chain.pk for chain in self.park.chains.all()]
        return None

    def enterprises(self) -> QuerySet[Enterprise]:
        return enterprises_of(
            chain_id=self.chain.pk if self.chain else None, park_id=self.park.pk if self.park else None
        )

    def issues(self) -> QuerySet[Issue]:
        return issues_of(chain_id=self.chain.pk if self.chain else None, park_id=self.park.pk if self.park else None)

    @property
    def name(self) -> str:
        return str(self.chain or self.park or "")


def can_open_district(user: AnyUser) -> bool:
    return in_business_scope(user) and user.is_district_staff


def district_for(user: AnyUser) -> Subject:
    """The district dashboard is the district staff's (the chain leaders open their chains')."""
    if not can_open_district(user):
        raise Http404
    return Subject(Kind.DISTRICT)


def chain_for(user: AnyUser, pk: object) -> Subject:
    chain = _get(list_dashboard_chains_for_user(user).select_related("lead_unit", "industry_committee"), pk)
    return Subject(Kind.CHAIN, chain=chain)


def park_for(user: AnyUser, pk: object) -> Subject:
    park = _get(list_dashboard_parks_for_user(user).prefetch_related("chains"), pk)
    return Subject(Kind.PARK, park=park)


def _get(queryset, pk):
    try:
        return queryset.get(pk=int(str(pk)))
    except (ValueError, queryset.model.DoesNotExist):
        raise Http404 from None
