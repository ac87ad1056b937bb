"""三会一课 compliance (design §4.4), computed from the recorded meetings and never stored.

A period is a calendar quarter. Each kind due for an organization has slots in the quarter: one per
month for the monthly kinds (committee and party-group meetings, theme party days), one for the
quarter for the quarterly ones (member meetings, party lectures). A slot is met by at least one
meeting of that kind held in it; an organization complies in a quarter when every slot is met. A
meeting on 31 March counts for the first quarter, one on 1 April for the second."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models.functions import ExtractMonth

from partyorgs.models import (
    COMMITTEE_ONLY,
    MEETING_EVERY_MONTHS,
    MeetingKind,
    OrgKind,
    OrgMeeting,
    PartyOrganization,
)

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> "Quarter | None":
        """ "2026Q4" or "2026-q4"; None for anything else."""
        match = _QUARTER.match(text or "")
        return cls(int(match[1]), int(match[2])) if match else None

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        following = self.next()
        return date.fromordinal(following.first_day.toordinal() - 1)

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


def has_committee(org: PartyOrganization) -> bool:
    return org.kind in (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH) or org.has_branch_committee


def kinds_due(org: PartyOrganization) -> list[str]:
    return [kind for kind in MeetingKind.values if kind not in COMMITTEE_ONLY or has_committee(org)]


def _slot(kind: str, month: int) -> int:
    """Which slot of its quarter a meeting held in ``month`` fills."""
    return ((month - 1) % 3) // MEETING_EVERY_MONTHS[MeetingKind(kind)]


def slots_in_quarter(kind: str) -> int:
    return 3 // MEETING_EVERY_MONTHS[MeetingKind(kind)]


@dataclass(frozen=True)
class KindCompliance:
    kind: str
    met: int
    required: int

    @property
    def label(self) -> str:
        return str(MeetingKind(self.kind).label)

    @property
    def complies(self) -> bool:
        return self.met >= self.required


@dataclass(frozen=True)
class OrgCompliance:
    organization_id: int
    kinds: list[KindCompliance]

    @property
    def met(self) -> int:
        return sum(k.met for k in self.kinds)

    @property
    def required(self) -> int:
        return sum(k.required for k in self.kinds)

    @property
    def complies(self) -> bool:
        return all(k.complies for k in self.kinds)


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if whole else None


@dataclass
class Rollup:
    """Compliance of a group of organizations (an industry party committee's, a chain's)."""

    name: str
    id: int | None = None
    organizations: int = 0
    complying: int = 0
    met: int = 0
    required: int = 0
    members: list[int] = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        """Complying organizations ÷ organizations, in %."""
        return _rate(self.complying, self.organizations)

    @property
    def slot_rate(self) -> Decimal | None:
        """Met slots ÷ required slots, in %."""
        return _rate(self.met, self.required)


def compliance_for(orgs: Iterable[PartyOrganization], quarter: Quarter) -> dict[int, OrgCompliance]:
    """Each organization's compliance in the quarter: one query for all their meetings' slots."""
    orgs = list(orgs)
    held: set[tuple[int, str, int]] = set()
    rows = (
        OrgMeeting.objects.filter(
            organization__in=[o.pk for o in orgs], held_on__gte=quarter.first_day, held_on__lte=quarter.last_day
        )
        .annotate(month=ExtractMonth("held_on"))
        .values_list("organization_id", "kind", "month")
        .distinct()
    )
    for org_id, kind, month in rows:
        held.add((org_id, kind, _slot(kind, month)))
    result = {}
    for org in orgs:
        kinds = []
        for kind in kinds_due(org):
            required = slots_in_quarter(kind)
            met = sum((org.pk, kind, slot) in held for slot in range(required))
            kinds.append(KindCompliance(kind, met, required))
        result[org.pk] = OrgCompliance(org.pk, kinds)
    return result


def roll_up(groups: list[Rollup], compliance: dict[int, OrgCompliance]) -> list[Rollup]:
    """Fill each group's counts from its members' compliance (members outside ``compliance`` are
    ones the user does not see: not counted)."""
    for group in groups:
        members = [compliance[pk] for pk in dict.fromkeys(group.members) if pk in compliance]
        group.organizations = len(members)
        group.complying = sum(c.complies for c in members)
        group.met = sum(c.met for c in members)
        group.required = sum(c.required for c in members)
    return groups
