"""Writes the party-organization demo described in partyorgs.demo_data, on top of the chains demo:
the tree from the district's two-new committee down to enterprise branches and joint branches, the
enterprises they cover, and the enterprises' party-member counts (some of which should establish an
organization). Idempotent through chainparty.demo.ensure: a second run writes nothing."""

from collections import Counter
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import Unit
from chainparty.demo import SeedError, ensure
from chains.models import Enterprise
from partyorgs.demo_data import ORGANIZATIONS, PARTY_MEMBERS
from partyorgs.models import EnterprisePartyProfile, OrgCoverage, PartyOrganization
from partyorgs.terms import add_months, default_term_end


@transaction.atomic
def seed_partyorgs_demo(*, today: date | None = None) -> Counter:
    today = today or timezone.localdate()
    created: Counter = Counter()
    names = {name for org in ORGANIZATIONS for name in org.enterprises} | set(PARTY_MEMBERS)
    enterprises = {e.name: e for e in Enterprise.objects.filter(name__in=names)}
    units = {u.name: u for u in Unit.objects.filter(name__in={o.unit for o in ORGANIZATIONS if o.unit})}
    missing = (names - set(enterprises)) | ({o.unit for o in ORGANIZATIONS if o.unit} - set(units))
    if missing:
        raise SeedError(f"The party-organization demo needs the chains demo first; missing: {sorted(missing)}")

    orgs: dict[str, PartyOrganization] = {}
    # Level by level, so that each superior exists (and has its id) before what sits below it.
    pending = list(ORGANIZATIONS)
    while pending:
        level = [o for o in pending if o.parent is None or o.parent in orgs]
        if not level:
            raise SeedError("the demo organizations' superiors form a cycle or name an unknown organization")
        rows = []
        for org in level:
            started = (
                add_months(today, -org.term_started_months_ago) if org.term_started_months_ago is not None else None
            )
            rows.append(
                {
                    "name": org.name,
                    "kind": org.kind,
                    "parent_id": orgs[org.parent].pk if org.parent else None,
                    "unit_id": units[org.unit].pk if org.unit else None,
                    "secretary": org.secretary,
                    "formal_members": org.formal,
                    "probationary_members": org.probationary,
                    "has_branch_committee": org.has_branch_committee,
                    "established_on": add_months(started, -72) if started else None,
                    "term_started_on": started,
                    "term_ends_on": default_term_end(org.kind, started) if started else None,
                }
            )
        orgs.update(ensure(PartyOrganization, "name", rows, created))
        pending = [o for o in pending if o not in level]

    ensure(
        OrgCoverage,
        ("organization_id", "enterprise_id"),
        [
            {"organization_id": orgs[org.name].pk, "enterprise_id": enterprises[name].pk}
            for org in ORGANIZATIONS
            for name in org.enterprises
        ],
        created,
    )
    ensure(
        EnterprisePartyProfile,
        "enterprise_id",
        [
            {"enterprise_id": enterprises[name].pk, "formal_members": formal, "probationary_members": probationary}
            for name, (formal, probationary) in PARTY_MEMBERS.items()
        ],
        created,
    )
    return +created
