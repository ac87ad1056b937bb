"""Matching (issue 8): for a chain, the SMEs that lack any coverage, ranked, each with cadres
suggested from the pool. A suggestion a person confirms (the posting form, prefilled), never an
automatic posting.

Uncovered: no active first secretary or instructor (work coverage) and no party organization
(organization coverage, known once partyorgs registers it: secretaries/figures.py). Ranked by party
members, employees, open issues and honours, most first; then by name.

Suggested cadres: party members without an active enterprise posting (unless the district lets a
cadre serve several), scored by their source unit's remit for the chain (its lead unit 3, its
industry party committee or a cooperating unit 2, a member unit of its industry party committee 1)
and by expertise (2 for each tag found in the chain's name or the enterprise's segment, or the
other way round). Ties go to the younger cadre, then by name.

Queries: a fixed number whatever the size of the registry or the pool — the ranked enterprises (one,
plus the pagination's count), the pool (one), the chain's cooperating units (one).
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from chains.models import Chain, ChainMembership, Enterprise, EnterpriseHonour
from secretaries import figures
from secretaries.models import ENTERPRISE_KINDS, Cadre, Posting, PostingStatus

SUGGESTIONS_PER_ENTERPRISE = 3
REMIT_LEAD, REMIT_CLOSE, REMIT_MEMBER = 3, 2, 1
EXPERTISE_POINTS = 2


def uncovered_smes(chain: Chain) -> QuerySet[Enterprise]:
    """The chain's SMEs without coverage, ranked, with the ranking's figures and their segment."""
    work_covered = Posting.objects.active().filter(enterprise_id=OuterRef("pk"), kind__in=ENTERPRISE_KINDS)
    honours = (
        EnterpriseHonour.objects.filter(enterprise_id=OuterRef("pk"))
        .order_by()
        .values("enterprise_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    membership = ChainMembership.objects.filter(chain=chain, enterprise_id=OuterRef("pk"))
    rows: QuerySet[Any] = (
        Enterprise.objects.smes()
        .filter(Exists(membership))
        .exclude(Exists(work_covered))
        .annotate(
            honour_count=Coalesce(Subquery(honours, output_field=IntegerField()), 0),
            segment_name=Subquery(membership.values("segment__name")[:1], output_field=CharField()),
        )
    )
    covered = figures.organization_covered()
    if covered is not None:
        rows = rows.exclude(covered)
    rows = figures.with_figures(rows, figures.PARTY_MEMBERS, figures.OPEN_ISSUES)
    return rows.order_by(
        f"-{figures.PARTY_MEMBERS}", "-employees", f"-{figures.OPEN_ISSUES}", "-honour_count", "name", "pk"
    )


@dataclass
class CadreSuggestion:
    cadre: Cadre
    score: int
    reasons: list[str] = field(default_factory=list)


def available_cadres() -> QuerySet[Cadre]:
    """Party members of the pool who may take an enterprise posting now."""
    cadres = Cadre.objects.filter(party_member=True).select_related("source_unit")
    if not settings.SECRETARIES_MULTIPLE_ENTERPRISES:
        busy = Posting.objects.filter(cadre_id=OuterRef("pk"), status=PostingStatus.ACTIVE, kind__in=ENTERPRISE_KINDS)
        cadres = cadres.exclude(Exists(busy))
    return cadres.order_by("name", "pk")


def _matches(tag: str, words: list[str]) -> bool:
    return any(tag in word or (word and word in tag) for word in words)


def _suggestion_order(suggestion: CadreSuggestion) -> tuple:
    born = suggestion.cadre.birth_date
    return (-suggestion.score, -(born.toordinal() if born else 0), suggestion.cadre.name, suggestion.cadre.pk)


def suggest_cadres(chain: Chain, enterprises: list[Enterprise]) -> dict[int, list[CadreSuggestion]]:
    """For each enterprise (with its `segment_name` annotation), the best-scored available cadres."""
    cooperating = set(chain.cooperating_units.values_list("pk", flat=True))
    pool = list(available_cadres())
    remits: list[tuple[Cadre, int, str]] = []
    for cadre in pool:
        unit = cadre.source_unit
        if unit.pk == chain.lead_unit_id:
            remits.append((cadre, REMIT_LEAD, _("from the chain's lead unit")))
        elif unit.pk == chain.industry_committee_id or unit.pk in cooperating:
            remits.append((cadre, REMIT_CLOSE, _("from a unit of the chain")))
        elif chain.industry_committee_id and unit.industry_committee_id == chain.industry_committee_id:
            remits.append((cadre, REMIT_MEMBER, _("from a member unit of the chain's industry committee")))
        else:
            remits.append((cadre, 0, ""))
    suggestions: dict[int, list[CadreSuggestion]] = {}
    for enterprise in enterprises:
        words = [chain.name, getattr(enterprise, "segment_name", "") or ""]
        scored = []
        for cadre, remit, remit_reason in remits:
            tags = [tag for tag in cadre.expertise if isinstance(tag, str) and _matches(tag, words)]
            score = remit + EXPERTISE_POINTS * len(tags)
            if score <= 0:
                continue
            reasons = [remit_reason] if remit_reason else []
            if tags:
                reasons.append(_("expertise: %(tags)s") % {"tags": "、".join(tags)})
            scored.append(CadreSuggestion(cadre, score, reasons))
        # Younger first on a tie (a later birth date; none last), then by name.
        scored.sort(key=_suggestion_order)
        suggestions[enterprise.pk] = scored[:SUGGESTIONS_PER_ENTERPRISE]
    return suggestions


def suggestion_rows(chain: Chain, enterprises: list) -> list[dict]:
    """The page's and the API's rows: each ranked enterprise with its figures and suggested cadres."""
    suggestions = suggest_cadres(chain, enterprises)
    return [
        {
            "enterprise": enterprise,
            "segment": enterprise.segment_name,
            "party_members": enterprise.party_members,
            "employees": enterprise.employees,
            "open_issues": enterprise.open_issues,
            "honours": enterprise.honour_count,
            "cadres": suggestions.get(enterprise.pk, []),
        }
        for enterprise in enterprises
    ]
