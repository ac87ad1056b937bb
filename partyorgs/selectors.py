"""Reads of the party-organization app shared by pages, API and (later) dashboards.

Coverage (两个覆盖, design §4.3) is computed here and only here, from the organizations' covered
enterprises and the cadres' postings of the day; it is never stored or typed in:

- **organization coverage**: the enterprise has its own party organization or belongs to a joint branch;
- **work coverage**: no organization, but an active first secretary or party-building instructor;
- **none** otherwise.

The official rate is organization-covered enterprises ÷ enterprises in the registry; the work rate
is work-covered ÷ the same registry. Each grouping (district, chains, parks, segments) is one
aggregate query over the user's visible enterprises, whatever their number.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AnyUser, UnitKind
from accounts.roles import Role
from chainparty.dates import FIRST_DAY
from chainparty.scope import in_business_scope
from chains.models import (
    Chain,
    ChainMaster,
    ChainMasterStatus,
    ChainMembership,
    ChainSegment,
    Enterprise,
    Park,
)
from chains.selectors import upstream_first
from partyorgs import tree
from partyorgs.compliance import OrgCompliance, Quarter, Rollup, compliance_for, roll_up
from partyorgs.models import (
    BRANCH_COMMITTEE_MEMBERS,
    BRANCH_KINDS,
    SHOULD_ESTABLISH_MEMBERS,
    AnnualPartyPlan,
    OrgCoverage,
    OrgMeeting,
    Pairing,
    PairingActivity,
    PartyOrganization,
    PlanDeadline,
    PlanTarget,
    plan_chains,
)
from partyorgs.terms import add_months
from secretaries.selectors import enterprise_ids_with_work_coverage, list_enterprise_postings, ran_on


class CoverageClass:
    ORGANIZATION = "organization"
    WORK = "work"
    NONE = "none"

    labels = {
        ORGANIZATION: _("Organization coverage"),
        WORK: _("Work coverage"),
        NONE: _("Not covered"),
    }


def _has_organization(enterprise_field: str = "pk") -> Q:
    # IN (an uncorrelated subquery) rather than a correlated EXISTS: PostgreSQL hashes the covered
    # enterprises once per query (a hashed SubPlan) instead of probing the index for every row, which
    # at 40,000 enterprises is the difference between ~60 and ~900 ms (docs/benchmarks.md).
    return Q(**{f"{enterprise_field}__in": OrgCoverage.objects.values("enterprise_id")})


def _has_work_coverage(on: date, enterprise_field: str = "pk") -> Q:
    return Q(**{f"{enterprise_field}__in": enterprise_ids_with_work_coverage(on)})


def with_coverage(enterprises: QuerySet[Enterprise], *, on: date | None = None) -> QuerySet[Enterprise]:
    """Each enterprise annotated with ``coverage``: "organization", "work" or "none" (§4.3)."""
    day = on or timezone.localdate()
    return enterprises.annotate(
        coverage=Case(
            When(_has_organization(), then=Value(CoverageClass.ORGANIZATION)),
            When(_has_work_coverage(day), then=Value(CoverageClass.WORK)),
            default=Value(CoverageClass.NONE),
            output_field=CharField(),
        )
    )


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CoverageRow:
    """One line of the coverage table: a chain, park, segment or the district."""

    key: str
    name: str
    enterprises: int
    organization: int
    work: int
    id: int | None = None
    chain_name: str = ""

    @property
    def none(self) -> int:
        return self.enterprises - self.organization - self.work

    @property
    def organization_rate(self) -> Decimal | None:
        """The official rate: enterprises with their own or a joint organization ÷ the registry, in %."""
        return _rate(self.organization, self.enterprises)

    @property
    def work_rate(self) -> Decimal | None:
        return _rate(self.work, self.enterprises)

    @property
    def combined_rate(self) -> Decimal | None:
        return _rate(self.organization + self.work, self.enterprises)


@dataclass
class Coverage:
    on: date
    district: CoverageRow
    chains: list[CoverageRow] = field(default_factory=list)
    parks: list[CoverageRow] = field(default_factory=list)
    segments: list[CoverageRow] = field(default_factory=list)


def _counts(day: date, enterprise_field: str) -> dict:
    """The three aggregates of a coverage row, over rows whose enterprise is ``enterprise_field``."""
    organization = _has_organization(enterprise_field)
    work = _has_work_coverage(day, enterprise_field)
    return {
        "total": Count("pk"),
        "organization": Count("pk", filter=organization),
        "work": Count("pk", filter=~organization & work),
    }


def _rows(grouped: QuerySet, day: date, enterprise_field: str, *, order_by: str | None = None) -> list[dict[str, Any]]:
    """The coverage aggregates of a ``values(...)`` queryset, one dict per group."""
    annotated = grouped.annotate(**_counts(day, enterprise_field))
    return list(annotated.order_by(order_by) if order_by else annotated.order_by())


def coverage_for_user(user: AnyUser, *, on: date | None = None) -> Coverage:
    """Coverage of the enterprises the user sees, district-wide and per chain, park and segment:
    five queries whatever the registry's size (the chains' and segments' names come with their counts)."""
    day = on or timezone.localdate()
    visible = Enterprise.objects.visible_to(user)
    visible_ids = visible.values("pk")

    district = visible.aggregate(**_counts(day, "pk"))
    district_row = CoverageRow(
        "district", str(_("District")), district["total"], district["organization"], district["work"]
    )

    chains = Chain.objects.visible_to(user).values("pk")
    memberships = ChainMembership.objects.filter(enterprise__in=visible_ids, chain__in=chains)
    by_chain = {row["chain_id"]: row for row in _rows(memberships.values("chain_id"), day, "enterprise_id")}
    chain_rows = [
        CoverageRow(
            "chain",
            chain.name,
            by_chain.get(chain.pk, {}).get("total", 0),
            by_chain.get(chain.pk, {}).get("organization", 0),
            by_chain.get(chain.pk, {}).get("work", 0),
            id=chain.pk,
        )
        for chain in Chain.objects.visible_to(user).only("pk", "name").order_by("name")
    ]

    park_rows = [
        CoverageRow("park", row["park__name"], row["total"], row["organization"], row["work"], id=row["park_id"])
        for row in _rows(
            visible.filter(park__in=Park.objects.visible_to(user).values("pk")).values("park_id", "park__name"),
            day,
            "pk",
            order_by="park__name",
        )
    ]

    by_segment = {row["segment_id"]: row for row in _rows(memberships.values("segment_id"), day, "enterprise_id")}
    segment_rows = [
        CoverageRow(
            "segment",
            segment.name,
            by_segment[segment.pk]["total"],
            by_segment[segment.pk]["organization"],
            by_segment[segment.pk]["work"],
            id=segment.pk,
            chain_name=segment.chain.name,
        )
        for segment in ChainSegment.objects.filter(pk__in=list(by_segment))
        .select_related("chain")
        .order_by("chain__name", "position", "order", "name")
    ]
    return Coverage(on=day, district=district_row, chains=chain_rows, parks=park_rows, segments=segment_rows)


# --- organizations --------------------------------------------------------------------------
def list_organizations_for_user(user: AnyUser) -> QuerySet[PartyOrganization]:
    """Organizations in scope, with their unit and the covered enterprises the user may see.

    The superior is named only when the user may see it: each row carries ``superior_id`` and
    ``superior_name`` (NULL otherwise); pages and API show those, never ``parent``."""
    visible_orgs = PartyOrganization.objects.visible_to(user)
    visible_enterprises = Enterprise.objects.visible_to(user).values("pk")
    staff = user.is_district_staff if in_business_scope(user) else False
    superior_in_scope = Q(parent__isnull=False) if staff else Q(parent__in=visible_orgs.values("pk"))
    return (
        visible_orgs.select_related("unit")
        .prefetch_related(
            Prefetch(
                "enterprises",
                queryset=Enterprise.objects.filter(pk__in=visible_enterprises).order_by("name"),
                to_attr="covered",
            )
        )
        .annotate(
            superior_id=Case(When(superior_in_scope, then=F("parent_id")), default=None, output_field=IntegerField()),
            superior_name=Case(When(superior_in_scope, then=F("parent__name")), default=None, output_field=CharField()),
        )
        .order_by("name", "pk")
    )


def list_should_establish_for_user(user: AnyUser) -> QuerySet[Enterprise]:
    """应建未建: enterprises with 3 or more formal party members and no organization, most members
    first, then most employees."""
    return (
        Enterprise.objects.visible_to(user)
        .filter(party_profile__formal_members__gte=SHOULD_ESTABLISH_MEMBERS)
        .exclude(_has_organization())
        .select_related("party_profile", "park")
        .order_by("-party_profile__formal_members", "-employees", "name", "pk")
    )


def list_branches_without_committee_for_user(user: AnyUser) -> QuerySet[PartyOrganization]:
    """Branches with 7 or more formal members and no branch committee recorded (§4.4)."""
    return (
        list_organizations_for_user(user)
        .filter(kind__in=BRANCH_KINDS, formal_members__gte=BRANCH_COMMITTEE_MEMBERS, has_branch_committee=False)
        .order_by("-formal_members", "name", "pk")
    )


def list_terms_ending_for_user(user: AnyUser, *, today: date, months: int = 6) -> QuerySet[PartyOrganization]:
    """Organizations whose current term ends within ``months`` (or has lapsed already), soonest first."""
    return (
        list_organizations_for_user(user)
        .filter(term_ends_on__isnull=False, term_ends_on__lte=add_months(today, months))
        .order_by("term_ends_on", "name", "pk")
    )


# --- 三会一课 ----------------------------------------------------------------------------------
@dataclass
class MeetingCompliance:
    quarter: Quarter
    by_org: dict[int, OrgCompliance]
    industry_committees: list[Rollup]
    chains: list[Rollup]


def meeting_compliance_for_user(user: AnyUser, quarter: Quarter) -> MeetingCompliance:
    """三会一课 compliance of the organizations the user sees in the quarter, with the roll-ups per
    industry party committee (its organization and everything below it) and per chain (the
    organizations covering its enterprises). Six queries whatever the number of organizations."""
    orgs = list(PartyOrganization.objects.visible_to(user).only("pk", "kind", "has_branch_committee").order_by())
    by_org = compliance_for(orgs, quarter)
    committee_orgs = list(
        PartyOrganization.objects.filter(unit__kind=UnitKind.INDUSTRY_PARTY_COMMITTEE)
        .values_list("pk", "unit_id", "unit__name")
        .order_by("unit__name")
    )
    members = tree.subtrees([pk for pk, _unit, _name in committee_orgs])
    committees = [Rollup(name, id=unit_id, members=members[pk]) for pk, unit_id, name in committee_orgs]
    chains = {
        chain.pk: Rollup(chain.name, id=chain.pk)
        for chain in Chain.objects.visible_to(user).only("pk", "name").order_by("name")
    }
    pairs = (
        OrgCoverage.objects.filter(enterprise__memberships__chain__in=list(chains))
        .values_list("enterprise__memberships__chain_id", "organization_id")
        .distinct()
    )
    for chain_id, org_id in pairs:
        chains[chain_id].members.append(org_id)
    return MeetingCompliance(
        quarter=quarter,
        by_org=by_org,
        industry_committees=[g for g in roll_up(committees, by_org) if g.organizations],
        chains=roll_up(list(chains.values()), by_org),
    )


def list_meetings_for_user(user: AnyUser) -> QuerySet[OrgMeeting]:
    return OrgMeeting.objects.visible_to(user).select_related("organization", "recorded_by")


# --- 红联共建 -----------------------------------------------------------------------------------
def list_pairings_for_user(user: AnyUser) -> QuerySet[Pairing]:
    """Pairings in scope (either side's organization visible), with both sides, the chain and the
    activities (newest first) loaded."""
    return (
        Pairing.objects.visible_to(user)
        .select_related("department_org", "department_org__unit", "enterprise_org", "chain")
        .prefetch_related(Prefetch("activities", queryset=PairingActivity.objects.order_by("-held_on", "-pk")))
        .order_by("chain__name", "enterprise_org__name", "pk")
    )


@dataclass(frozen=True)
class ChainOrgPairing:
    organization: PartyOrganization
    pairings: list[Pairing]

    @property
    def paired(self) -> bool:
        return bool(self.pairings)


def chain_pairing_status(*, chain: Chain, user: AnyUser, on: date) -> list[ChainOrgPairing]:
    """The chain's enterprise party organizations that the user sees, each with its pairings on the
    chain running on ``on`` (none: not paired), unpaired first. Two queries."""
    on_chain = OrgCoverage.objects.filter(enterprise__memberships__chain=chain).values("organization_id")
    orgs = list(PartyOrganization.objects.visible_to(user).filter(pk__in=on_chain).order_by("name", "pk"))
    running = Pairing.objects.filter(chain=chain, enterprise_org__in=[o.pk for o in orgs], start_on__lte=on).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=on)
    )
    by_org: dict[int, list[Pairing]] = {}
    for pairing in running.select_related("department_org").order_by("start_on"):
        by_org.setdefault(pairing.enterprise_org_id, []).append(pairing)
    status = [ChainOrgPairing(org, by_org.get(org.pk, [])) for org in orgs]
    return sorted(status, key=lambda item: item.paired)


# --- annual party plans ------------------------------------------------------------------------
def list_party_plans_for_user(user: AnyUser) -> QuerySet[AnnualPartyPlan]:
    """Plans in scope with their chain, organization and targets; ``party_score`` is the sum of the
    targets' scores (NULL until scored)."""
    return (
        AnnualPartyPlan.objects.visible_to(user)
        .select_related("chain", "organization")
        .prefetch_related(Prefetch("targets", queryset=PlanTarget.objects.order_by("pk")))
        .annotate(party_score=Sum("targets__score"))
        .order_by("-year", "chain__name", "pk")
    )


def _plan_status_chains(user: AnyUser) -> QuerySet[Chain]:
    """Staff see every chain; chain leaders and unit handlers their chains; anyone else the chains of
    the plans they may see (their own organization's), so that nobody reads "not filed" of a plan that
    exists out of their sight."""
    if not in_business_scope(user):
        return Chain.objects.none()
    if user.is_district_staff:
        return Chain.objects.all()
    mine = AnnualPartyPlan.objects.visible_to(user).values("chain_id")
    if user.has_role(Role.CHAIN_LEADER, Role.UNIT_HANDLER):
        return Chain.objects.filter(Q(pk__in=plan_chains(user)) | Q(pk__in=mine))
    return Chain.objects.filter(pk__in=mine)


@dataclass(frozen=True)
class PlanStatus:
    chain: Chain
    has_chain_master: bool
    plan: AnnualPartyPlan | None
    due_on: date | None
    flagged: bool  # no plan, and the district's deadline has passed


def plan_status_for_user(user: AnyUser, *, year: int, today: date) -> list[PlanStatus]:
    """Each chain the user sees, with its plan for the year or, past the district's deadline, the
    flag that it is missing (only a chain with a designated chain master owes one). Four queries."""
    chains = list(_plan_status_chains(user).order_by("name"))
    plans = {plan.chain_id: plan for plan in list_party_plans_for_user(user).filter(year=year).prefetch_related(None)}
    with_master = set(
        ChainMaster.objects.filter(chain__in=[c.pk for c in chains], status=ChainMasterStatus.DESIGNATED).values_list(
            "chain_id", flat=True
        )
    )
    deadline = PlanDeadline.objects.filter(year=year).values_list("due_on", flat=True).first()
    return [
        PlanStatus(
            chain=chain,
            has_chain_master=chain.pk in with_master,
            plan=plans.get(chain.pk),
            due_on=deadline,
            flagged=chain.pk in with_master and chain.pk not in plans and deadline is not None and today > deadline,
        )
        for chain in chains
    ]


# --- facts for the dashboards (over a registry the caller chose: dashboards.subjects) ------------
def coverage_counts(enterprises: QuerySet[Enterprise], *, on: date) -> CoverageRow:
    """The coverage of these enterprises on the day, as a coverage row (rates included). One query."""
    counts = enterprises.order_by().aggregate(**_counts(on, "pk"))
    return CoverageRow("subject", "", counts["total"], counts["organization"], counts["work"])


def coverage_by_chain(*, on: date, chain_ids: list[int] | None = None) -> dict[int, CoverageRow]:
    """Chain id → the coverage of its enterprises (the facts: every member), one grouped query."""
    memberships = (
        ChainMembership.objects.all() if chain_ids is None else ChainMembership.objects.filter(chain_id__in=chain_ids)
    )
    return {
        row["chain_id"]: CoverageRow("chain", "", row["total"], row["organization"], row["work"], id=row["chain_id"])
        for row in _rows(memberships.values("chain_id"), on, "enterprise_id")
    }


def coverage_by_segment(*, chain_id: int, on: date) -> list[CoverageRow]:
    """The chain's segments, upstream to downstream, each with the coverage of its enterprises (a
    segment with none shows zeros). Two queries."""
    by_segment = {
        row["segment_id"]: row
        for row in _rows(ChainMembership.objects.filter(chain_id=chain_id).values("segment_id"), on, "enterprise_id")
    }
    segments = upstream_first(ChainSegment.objects.filter(chain_id=chain_id))
    return [
        CoverageRow(
            "segment",
            segment.name,
            by_segment.get(segment.pk, {}).get("total", 0),
            by_segment.get(segment.pk, {}).get("organization", 0),
            by_segment.get(segment.pk, {}).get("work", 0),
            id=segment.pk,
        )
        for segment in segments
    ]


def coverage_trend(enterprises: QuerySet[Enterprise], *, days: list[date], total: int) -> list[CoverageRow]:
    """The coverage of these enterprises (`total` of them: the registry is today's, an enterprise has
    no date of joining it) at each of `days` (month ends, say), from the records' dates: an
    organization counts from its founding day (one with no day recorded, always), a posting for the
    days it ran (secretaries.selectors.ran_on). Two queries whatever the number of days, each over the
    small tables (what the organizations cover, the postings), not the registry once per day."""
    if not days:
        return []
    ids = enterprises.values("pk")

    def organized_on(day: date, prefix: str = "") -> Q:
        return Q(**{f"{prefix}organization__established_on__isnull": True}) | Q(
            **{f"{prefix}organization__established_on__lte": day}
        )

    organized = OrgCoverage.objects.filter(enterprise_id__in=ids).aggregate(
        **{
            f"organization_{i}": Count("enterprise_id", distinct=True, filter=organized_on(day))
            for i, day in enumerate(days)
        }
    )
    # Each posting with the day its enterprise was first organized (a correlated read of the index on
    # what organizations cover, per posting: there are few postings), so that "not organized by then"
    # is a comparison per month rather than a subquery per month.
    first_organized = (
        OrgCoverage.objects.filter(enterprise_id=OuterRef("enterprise_id"))
        .annotate(day=Coalesce("organization__established_on", Value(FIRST_DAY)))
        .order_by("day")
        .values("day")[:1]
    )
    worked = (
        list_enterprise_postings()
        .filter(enterprise_id__in=ids)
        .annotate(first_organized=Subquery(first_organized, output_field=DateField()))
        .aggregate(
            **{
                f"work_{i}": Count(
                    "enterprise_id",
                    distinct=True,
                    filter=ran_on(day) & (Q(first_organized__isnull=True) | Q(first_organized__gt=day)),
                )
                for i, day in enumerate(days)
            }
        )
    )
    return [
        CoverageRow("day", day.isoformat(), total, organized[f"organization_{i}"], worked[f"work_{i}"])
        for i, day in enumerate(days)
    ]


def should_establish_count(enterprises: QuerySet[Enterprise]) -> int:
    """应建未建 among these enterprises (list_should_establish_for_user's rule). One query."""
    return (
        enterprises.filter(party_profile__formal_members__gte=SHOULD_ESTABLISH_MEMBERS)
        .exclude(_has_organization())
        .count()
    )


def party_plan_figures(*, year: int, chain_ids: list[int] | None = None) -> dict[str, Any]:
    """The year's annual party plans (§4.2): how many are filed, how many fully scored (every target
    has its score), and the average party score of the scored ones (the sum of their targets'
    scores, out of the sum of their weights, in %). One query, a row per plan."""
    plans = AnnualPartyPlan.objects.filter(year=year)
    if chain_ids is not None:
        plans = plans.filter(chain_id__in=chain_ids)
    rows = list(
        plans.order_by()
        .values("pk")
        .annotate(
            score=Sum("targets__score"),
            weight=Sum("targets__weight"),
            unscored=Count("targets", filter=Q(targets__score__isnull=True)),
        )
    )
    scored = [row for row in rows if row["weight"] and not row["unscored"]]
    score = sum((row["score"] for row in scored), Decimal(0))
    weight = sum((row["weight"] for row in scored), Decimal(0))
    return {
        "filed": len(rows),
        "scored": len(scored),
        "average_score": (Decimal(100) * score / weight).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if weight
        else None,
    }
