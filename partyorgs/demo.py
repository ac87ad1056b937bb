"""Writes the party-organization demo described in partyorgs.demo_data, on top of the chains demo:
the tree from the district's two-new committee down to enterprise branches and joint branches, the
enterprises they cover, and the enterprises' party-member counts (some of which should establish an
organization). Idempotent through chainparty.demo.ensure: a second run writes nothing."""

from collections import Counter
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import Unit, User
from chainparty.demo import SeedError, ensure
from chains.demo import SYNTHETIC_PREFIX
from chains.models import Chain, Enterprise
from partyorgs.compliance import Quarter, kinds_due
from partyorgs.demo_data import MEETING_TOPICS, ORGANIZATIONS, PAIRINGS, PARTY_MEMBERS, PLAN_DEADLINE, PLANS
from partyorgs.models import (
    MEETING_EVERY_MONTHS,
    AnnualPartyPlan,
    EnterprisePartyProfile,
    MeetingKind,
    OrgCoverage,
    OrgKind,
    OrgMeeting,
    Pairing,
    PairingActivity,
    PartyOrganization,
    PlanDeadline,
    PlanTarget,
)
from partyorgs.sweep import sweep_term_reminders
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
    _seed_meetings(orgs, today, created)
    _seed_pairings(orgs, today, created)
    _seed_plans(orgs, today, created)
    return +created


def send_due_term_reminders(*, today: date | None = None) -> Counter:
    """The term reminders due today, as the daily job would send them, so that the inbox shows 换届提醒
    right after `make run`. seed_demo calls it last (after any scaling); exactly once, so a second run
    the same day sends nothing."""
    created: Counter = Counter()
    sent = sum(sweep_term_reminders(today=today).values())
    if sent:
        created["term reminders"] += sent
    return created


def _seed_plans(orgs: dict[str, PartyOrganization], today: date, created: Counter) -> None:
    filer = User.objects.filter(username="staff").first()
    chains = {c.code: c for c in Chain.objects.filter(code__in={p[0] for p in PLANS})}
    if filer is None or len(chains) != len({p[0] for p in PLANS}):
        return
    ensure(PlanDeadline, "year", [{"year": today.year, "due_on": date(today.year, *PLAN_DEADLINE)}], created)
    rows = []
    for code, org, ago, title, business, _targets, business_score in PLANS:
        year = today.year - ago
        rows.append(
            {
                "chain_id": chains[code].pk,
                "organization_id": orgs[org].pk,
                "year": year,
                "title": title,
                "content": "",
                "business_targets": business,
                "business_score": business_score,
                "filed_on": date(year, 2, 20),
                "scored_on": date(year, 12, 20) if business_score is not None else None,
                "filed_by_id": filer.pk,
            }
        )
    plans = ensure(AnnualPartyPlan, ("chain_id", "year"), rows, created)
    ensure(
        PlanTarget,
        ("plan_id", "description"),
        [
            {
                "plan_id": plans[(chains[code].pk, today.year - ago)].pk,
                "description": description,
                "weight": weight,
                "score": score,
            }
            for code, _org, ago, _title, _business, targets, _score in PLANS
            for description, weight, score in targets
        ],
        created,
    )


def _seed_pairings(orgs: dict[str, PartyOrganization], today: date, created: Counter) -> None:
    recorder = User.objects.filter(username="staff").first()
    chains = {c.code: c for c in Chain.objects.filter(code__in={p[2] for p in PAIRINGS})}
    if recorder is None or len(chains) != len({p[2] for p in PAIRINGS}):
        return
    rows = [
        {
            "department_org_id": orgs[department].pk,
            "enterprise_org_id": orgs[enterprise].pk,
            "chain_id": chains[code].pk,
            "start_on": add_months(today, -months),
            "end_on": None,
            "goals": goals,
            "department_contact": "",
            "enterprise_contact": orgs[enterprise].secretary,
        }
        for department, enterprise, code, months, goals, _activities in PAIRINGS
    ]
    pairings = ensure(Pairing, ("department_org_id", "enterprise_org_id", "chain_id"), rows, created)
    ensure(
        PairingActivity,
        ("pairing_id", "title"),
        [
            {
                "pairing_id": pairings[(orgs[department].pk, orgs[enterprise].pk, chains[code].pk)].pk,
                "programme": programme,
                "held_on": add_months(today, -ago),
                "title": title,
                "outcome": outcome,
                "recorded_by_id": recorder.pk,
            }
            for department, enterprise, code, _months, _goals, activities in PAIRINGS
            for programme, ago, title, outcome in activities
        ],
        created,
    )


def _seed_meetings(orgs: dict[str, PartyOrganization], today: date, created: Counter) -> None:
    """三会一课 records for the last two quarters: two organizations in three keep every meeting of the
    quarter so far, the third misses its theme party days; the quarter before, every other one complied."""
    recorder = User.objects.filter(username="staff").first()
    if recorder is None:
        return
    current = Quarter.of(today)
    rows = []
    for index, org in enumerate(orgs[demo.name] for demo in ORGANIZATIONS):
        for quarter, complete in ((current, index % 3 != 2), (current.previous(), index % 2 == 0)):
            for kind in kinds_due(org):
                every = MEETING_EVERY_MONTHS[MeetingKind(kind)]
                if kind == MeetingKind.THEME_DAY and not complete:
                    continue
                for slot in range(3 // every):
                    day = add_months(quarter.first_day, slot * every).replace(day=10 + slot)
                    if day > today:
                        continue
                    rows.append(
                        {
                            "organization_id": org.pk,
                            "kind": kind,
                            "held_on": day,
                            "topic": MEETING_TOPICS[(index + slot) % len(MEETING_TOPICS)],
                            "attendance": max(org.total_members - slot, 0),
                            "recorded_by_id": recorder.pk,
                        }
                    )
    ensure(OrgMeeting, ("organization_id", "kind", "held_on"), rows, created)


# --- the registry at scale (seed_demo --enterprises N) -----------------------------------------
OWN_BRANCH_EVERY = 8  # one synthetic enterprise in 8 has a branch of its own
JOINT_BRANCH_EVERY = 20  # one in 20 starts a joint branch with the next 3
PROFILE_EVERY = 3  # one in 3 has its party members recorded


@transaction.atomic
def scale_partyorgs(*, today: date | None = None) -> Counter:
    """Organizations for the synthetic SMEs of ``chains.demo.scale_enterprises``: thousands of
    branches and joint branches under the three industry committees' organizations, and party-member
    counts (some should establish an organization). Deterministic by the enterprise's id order, so
    a rerun finds what it wrote (one SELECT and at most one INSERT per table)."""
    today = today or timezone.localdate()
    created: Counter = Counter()
    parents = list(
        PartyOrganization.objects.filter(name__in=[o.name for o in ORGANIZATIONS if o.unit and o.parent])
        .order_by("name")
        .values_list("pk", flat=True)
    )
    if not parents:
        raise SeedError("scale_partyorgs needs the party-organization demo: run seed_partyorgs_demo() first")
    synthetic = list(
        Enterprise.objects.filter(credit_code__startswith=SYNTHETIC_PREFIX)
        .order_by("credit_code")
        .values_list("pk", "name", "credit_code")
    )
    org_rows: list[dict] = []
    covers: list[tuple[str, int]] = []
    profiles: list[dict] = []
    seen: set[str] = set()
    for index, (pk, name, code) in enumerate(synthetic):
        parent_id = parents[index % len(parents)]
        started = add_months(today, -(index % 60))
        if index % OWN_BRANCH_EVERY == 0:
            org_name = f"中共{name}支部委员会"
            if org_name in seen:
                org_name = f"中共{name}（{code}）支部委员会"
            seen.add(org_name)
            formal = 3 + index % 9
            org_rows.append(_scaled_org(org_name, OrgKind.BRANCH, parent_id, formal, started))
            covers.append((org_name, pk))
        elif index % JOINT_BRANCH_EVERY == 1:
            org_name = f"中共{name}等企业联合支部委员会"
            if org_name in seen:
                org_name = f"中共{name}（{code}）等企业联合支部委员会"
            seen.add(org_name)
            org_rows.append(_scaled_org(org_name, OrgKind.JOINT_BRANCH, parent_id, 3 + index % 5, started))
            for offset, member in enumerate(synthetic[index : index + 4]):
                if (index + offset) % OWN_BRANCH_EVERY:  # not one with a branch of its own
                    covers.append((org_name, member[0]))
        if index % PROFILE_EVERY == 0:
            formal = index % 7
            profiles.append(
                {"enterprise_id": pk, "formal_members": formal, "probationary_members": index % 2 * (formal > 0)}
            )
    orgs = ensure(PartyOrganization, "name", org_rows, created)
    ensure(
        OrgCoverage,
        ("organization_id", "enterprise_id"),
        [{"organization_id": orgs[org_name].pk, "enterprise_id": pk} for org_name, pk in covers],
        created,
    )
    ensure(EnterprisePartyProfile, "enterprise_id", profiles, created)
    return +created


def _scaled_org(name: str, kind: str, parent_id: int, formal: int, started: date) -> dict:
    return {
        "name": name,
        "kind": kind,
        "parent_id": parent_id,
        "unit_id": None,
        "secretary": "",
        "formal_members": formal,
        "probationary_members": formal % 3,
        "has_branch_committee": formal >= 9,
        "established_on": add_months(started, -36),
        "term_started_on": started,
        "term_ends_on": default_term_end(kind, started),
    }
