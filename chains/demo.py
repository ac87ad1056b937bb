"""Writes the demo world described in chains.demo_data (`manage.py seed_demo` calls both entry points):

- `seed_demo_data()` writes the curated world: units, parks, chains with their segments, enterprises,
  honours and chain masters, and the cast of people with their roles
  (cadres' postings are secretaries.demo's).
- `scale_enterprises(total=N)` tops the registry up to N enterprises with synthetic SMEs, for load
  and benchmark work, and tops the district's honours up to the document's figures (§三.三: 32
  "little giants", 7 single champions, 343 "two high, four new").

Idempotency: every row — links included (memberships, roles, chiefs, leaderships) — goes through
chainparty.demo.ensure, matched by its natural key and left as it is if present. So a second run
writes nothing.
"""

import hashlib
from collections import Counter
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Count

from accounts.models import Unit, User
from accounts.services import ensure_role_groups
from chainparty.demo import BATCH_SIZE, SeedError, ensure, through
from chains import models
from chains.credit_code import ALPHABET, make_credit_code
from chains.demo_data import (
    ACCELERATOR,
    BRAND_FIRST,
    BRAND_SECOND,
    CHAIN_WORDS,
    CHAINS,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    EXTRA_MEMBERSHIPS,
    HONOUR_TARGETS,
    HONOUR_TARGETS_FROM,
    HONOUR_YEARS,
    PARK_CHIEFS,
    PARKS,
    PEOPLE,
    QUALIFIERS,
    ROADS,
    SCIENCE_CITY,
    SUFFIXES,
    UNITS,
)

# 440112: the administrative division code of a district of Guangzhou. Curated codes carry "MA5" and
# a 6-character digest of the name (stable when the tables are reordered); synthetic ones "MA9" and a
# serial, so a rerun recomputes exactly the codes it wrote before.
DISTRICT_CODE = "440112"
CURATED_MARK = "MA5"
SYNTHETIC_PREFIX = f"91{DISTRICT_CODE}MA9"
SYNTHETIC_MAX = 999_999


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def curated_credit_code(name: str, kind: str = models.EnterpriseKind.ENTERPRISE) -> str:
    # Registration authority and type: 91 = enterprise registered with market regulation,
    # 12 = public institution.
    head = "12" if kind == models.EnterpriseKind.INSTITUTION else "91"
    tail = "".join(ALPHABET[byte % len(ALPHABET)] for byte in _digest(name)[:6])
    return make_credit_code(f"{head}{DISTRICT_CODE}{CURATED_MARK}{tail}")


def synthetic_credit_code(serial: int) -> str:
    return make_credit_code(f"{SYNTHETIC_PREFIX}{serial:06d}")


def _curated_address(name: str) -> str:
    digest = _digest(name)
    return f"广州市黄埔区{ROADS[digest[6] % len(ROADS)]}{digest[7] % 300 + 1}号"


# --- the curated world ------------------------------------------------------------------------
def check_demo_password() -> None:
    """Raise ValidationError if DEMO_PASSWORD fails a validator for any demo account."""
    for account in DEMO_ACCOUNTS:
        validate_password(DEMO_PASSWORD, user=User(username=account.username, full_name=account.full_name))


@transaction.atomic
def seed_demo_data(*, reset_passwords: bool = False) -> Counter:
    """Write the curated demo world; return the number of rows created per model label."""
    check_demo_password()
    created: Counter = Counter()
    units, parks = _seed_places(created)
    chains, segments = _seed_chains(units, parks, created)
    enterprises = _seed_enterprises(chains, segments, parks, created)
    _seed_people(units, parks, chains, enterprises, created)
    _seed_chain_masters(chains, enterprises, created)
    if reset_passwords:
        created["passwords reset"] += reset_demo_passwords()
    return created


def _seed_places(created: Counter) -> tuple[dict[str, Unit], dict[str, models.Park]]:
    """Units by name (the industry party committees first: member units point at them), parks by name."""
    unit_rows = [
        {"name": name, "short_name": short, "kind": kind, "industry_committee_id": None}
        for name, short, kind, committee in UNITS
        if committee is None
    ]
    units = ensure(Unit, "name", unit_rows, created)
    member_rows = [
        {"name": name, "short_name": short, "kind": kind, "industry_committee_id": units[committee].pk}
        for name, short, kind, committee in UNITS
        if committee is not None
    ]
    units |= ensure(Unit, "name", member_rows, created)
    park_rows = [
        {
            "name": p["name"],
            "kind": p["kind"],
            "address": p["address"],
            "description": p["description"],
            "management_unit_id": units[p["unit"]].pk,
        }
        for p in PARKS
    ]
    parks = ensure(models.Park, "name", park_rows, created)
    facility_rows = [
        {"park_id": parks[p["name"]].pk, "kind": kind, "name": name, "description": description}
        for p in PARKS
        for kind, name, description in p["facilities"]
    ]
    ensure(models.ParkFacility, ("park_id", "name"), facility_rows, created)
    return units, parks


def _seed_chains(units: dict, parks: dict, created: Counter) -> tuple[dict[str, models.Chain], dict]:
    """Chains by code with their units and parks; segments by (chain id, name)."""
    chain_rows = [
        {
            "code": c.code,
            "name": c.name,
            "description": c.description,
            "lead_unit_id": units[c.lead_unit].pk,
            "industry_committee_id": units[c.industry_committee].pk if c.industry_committee else None,
            "path_industry_committee": "industry_committee" in c.paths,
            "path_department": "department" in c.paths,
            "path_park": "park" in c.paths,
        }
        for c in CHAINS
    ]
    chains = ensure(models.Chain, "code", chain_rows, created)
    ensure(
        through(models.Chain, "cooperating_units"),
        ("chain_id", "unit_id"),
        [{"chain_id": chains[c.code].pk, "unit_id": units[u].pk} for c in CHAINS for u in c.cooperating_units],
        created,
    )
    ensure(
        through(models.Chain, "parks"),
        ("chain_id", "park_id"),
        [{"chain_id": chains[c.code].pk, "park_id": parks[p].pk} for c in CHAINS for p in c.parks],
        created,
    )
    segment_rows = []
    for c in CHAINS:
        position_order: Counter = Counter()
        for position, name in c.segments:
            position_order[position] += 1
            segment_rows.append(
                {"chain_id": chains[c.code].pk, "position": position, "name": name, "order": position_order[position]}
            )
    return chains, ensure(models.ChainSegment, ("chain_id", "name"), segment_rows, created)


def _seed_enterprises(chains: dict, segments: dict, parks: dict, created: Counter) -> dict[str, models.Enterprise]:
    """The curated enterprises with their memberships and honours; returns them by name."""
    enterprise_rows, membership_specs, honour_specs = [], [], []
    for c in CHAINS:
        for e in c.enterprises:
            code = curated_credit_code(e.name, e.kind)
            enterprise_rows.append(
                {
                    "credit_code": code,
                    "name": e.name,
                    "kind": e.kind,
                    "size_class": e.size,
                    "park_id": parks[e.park].pk if e.park else None,
                    "employees": e.employees,
                    "annual_output": Decimal(e.output),
                    "address": _curated_address(e.name),
                }
            )
            membership_specs.append((code, c.code, e.segment))
            honour_specs.extend((code, honour) for honour in e.honours)
    codes_by_name = {row["name"]: row["credit_code"] for row in enterprise_rows}
    enterprises = ensure(models.Enterprise, "credit_code", enterprise_rows, created)
    by_name = {name: enterprises[code] for name, code in codes_by_name.items()}
    membership_specs += [(codes_by_name[name], chain, segment) for name, chain, segment in EXTRA_MEMBERSHIPS]
    ensure(
        models.ChainMembership,
        ("chain_id", "enterprise_id"),
        [
            {
                "chain_id": chains[chain].pk,
                "enterprise_id": enterprises[code].pk,
                "segment_id": segments[(chains[chain].pk, segment)].pk,
            }
            for code, chain, segment in membership_specs
        ],
        created,
    )
    ensure(
        models.EnterpriseHonour,
        ("enterprise_id", "honour"),
        [
            {"enterprise_id": enterprises[code].pk, "honour": honour, "year": HONOUR_YEARS[honour]}
            for code, honour in honour_specs
        ],
        created,
    )
    return by_name


def _seed_people(units: dict, parks: dict, chains: dict, by_name: dict, created: Counter) -> dict[str, User]:
    """The demo accounts and the rest of the cast, their roles, park chiefs and chain leaders; by username."""
    groups: dict[str, Group] = ensure_role_groups()
    demo_usernames = {a.username for a in DEMO_ACCOUNTS}
    user_rows = [
        {
            "username": a.username,
            "full_name": a.full_name,
            "unit_id": units[a.unit].pk if a.unit else None,
            "enterprise_id": by_name[a.enterprise].pk if a.enterprise else None,
            "is_staff": a.is_staff,
        }
        for a in DEMO_ACCOUNTS
    ] + [
        {"username": username, "full_name": full_name, "unit_id": units[unit].pk, "enterprise_id": None}
        for username, full_name, unit, _roles in PEOPLE
    ]

    # One hash for all demo accounts: PBKDF2 costs half a second a time, and the password is published.
    demo_hash = make_password(DEMO_PASSWORD)

    def set_password(user: User) -> None:
        if user.username in demo_usernames:
            user.password = demo_hash
        else:
            user.set_unusable_password()

    users = ensure(User, "username", user_rows, created, prepare=set_password)
    role_rows = [{"user_id": users[a.username].pk, "group_id": groups[a.role].pk} for a in DEMO_ACCOUNTS] + [
        {"user_id": users[username].pk, "group_id": groups[role].pk}
        for username, _name, _unit, roles in PEOPLE
        for role in roles
    ]
    ensure(through(User, "groups"), ("user_id", "group_id"), role_rows, created)
    ensure(
        through(models.Park, "chiefs"),
        ("park_id", "user_id"),
        [{"park_id": parks[park].pk, "user_id": users[username].pk} for park, username in PARK_CHIEFS],
        created,
    )
    ensure(
        models.ChainLeadership,
        ("chain_id", "user_id"),
        [
            {"chain_id": chains[c.code].pk, "user_id": users[username].pk, "role": role}
            for c in CHAINS
            for username, role in c.leaders
        ],
        created,
    )
    return users


def _seed_chain_masters(chains: dict, by_name: dict, created: Counter) -> None:
    """models.Chain masters, their task forces and cultivation plans."""
    master_rows = [
        {
            "chain_id": chains[c.code].pk,
            "enterprise_id": by_name[m.enterprise].pk,
            "status": m.status,
            "designated_on": m.designated_on,
            "note": m.note,
            **{name: Decimal(score) for name, score in zip(models.SCORE_FIELDS, m.scores, strict=True)},
        }
        for c in CHAINS
        for m in c.masters
    ]
    masters = ensure(models.ChainMaster, ("chain_id", "enterprise_id"), master_rows, created)
    member_rows, measure_rows = [], []
    for c in CHAINS:
        for m in c.masters:
            master = masters[(chains[c.code].pk, by_name[m.enterprise].pk)]
            member_rows += [
                {
                    "chain_master_id": master.pk,
                    "name": name,
                    "title": title,
                    "source": source,
                    "from_enterprise_id": by_name[origin].pk if origin else None,
                }
                for name, title, source, origin in m.task_force
            ]
            measure_rows += [
                {"chain_master_id": master.pk, "kind": kind, "title": title, "status": status, "due_date": due}
                for kind, title, status, due in m.measures
            ]
    ensure(models.TaskForceMember, ("chain_master_id", "name"), member_rows, created)
    ensure(models.CultivationMeasure, ("chain_master_id", "title"), measure_rows, created)


def reset_demo_passwords() -> int:
    """Set every demo account's password back to DEMO_PASSWORD and lift any sign-in lockout."""
    from axes.utils import reset as reset_lockouts

    accounts = list(User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]))
    demo_hash = make_password(DEMO_PASSWORD)
    for user in accounts:
        user.password = demo_hash
    User.objects.bulk_update(accounts, ["password"])
    for user in accounts:
        reset_lockouts(username=user.username)
    return len(accounts)


# --- synthetic SMEs ---------------------------------------------------------------------------
def _synthetic_size(serial: int) -> models.SizeClass:
    # Nearly all SMEs (§三): 1 % large, 10 % medium, 40 % small, 49 % micro.
    bucket = serial % 100
    if bucket == 0:
        return models.SizeClass.LARGE
    if bucket <= 10:
        return models.SizeClass.MEDIUM
    if bucket <= 50:
        return models.SizeClass.SMALL
    return models.SizeClass.MICRO


EMPLOYEES = {
    models.SizeClass.LARGE: (1000, 3000),
    models.SizeClass.MEDIUM: (100, 200),
    models.SizeClass.SMALL: (10, 90),
    models.SizeClass.MICRO: (1, 9),
}
OUTPUT_PER_EMPLOYEE = 80  # 10k CNY


def _synthetic_row(serial: int, chain_code: str, park_id: int | None) -> models.Enterprise:
    size = _synthetic_size(serial)
    low, spread = EMPLOYEES[size]
    employees = low + (serial * 37) % spread
    # Mixed radix: brand (30 × 28), chain word (6), qualifier (8) — distinct names up to serial 40,319.
    brands = len(BRAND_FIRST) * len(BRAND_SECOND)
    words = CHAIN_WORDS[chain_code]
    first = BRAND_FIRST[serial % len(BRAND_FIRST)]
    second = BRAND_SECOND[(serial // len(BRAND_FIRST)) % len(BRAND_SECOND)]
    word = words[(serial // brands) % len(words)]
    qualifier = QUALIFIERS[(serial // (brands * len(words))) % len(QUALIFIERS)]
    suffix = SUFFIXES[0] if serial % 13 else SUFFIXES[(serial // 13) % len(SUFFIXES)]
    return models.Enterprise(
        name=f"广州{first}{second}{qualifier}{word}{suffix}",
        credit_code=synthetic_credit_code(serial),
        kind=models.EnterpriseKind.ENTERPRISE,
        size_class=size,
        park_id=park_id,
        employees=employees,
        annual_output=Decimal(employees * OUTPUT_PER_EMPLOYEE + serial % 97),
        address=f"广州市黄埔区{ROADS[serial % len(ROADS)]}{serial % 500 + 1}号",
    )


def honour_targets(total: int) -> dict[str, int]:
    if total >= HONOUR_TARGETS_FROM:
        return dict(HONOUR_TARGETS)
    return {honour: round(target * total / HONOUR_TARGETS_FROM) for honour, target in HONOUR_TARGETS.items()}


@transaction.atomic
def scale_enterprises(*, total: int) -> Counter:
    """Top the registry up to `total` enterprises with synthetic SMEs; nothing if it holds that many.

    Needs the curated chains (seed_demo_data). The synthetic enterprise with serial k always has the
    same credit code, name, chain, segment and park, so reruns find what they wrote. Queries: a
    handful, plus one INSERT per BATCH_SIZE rows.
    """
    created: Counter = Counter()
    chain_codes = [c.code for c in CHAINS]
    chains = {chain.code: chain for chain in models.Chain.objects.filter(code__in=chain_codes)}
    if len(chains) != len(chain_codes):
        raise SeedError("the curated demo chains are missing: run seed_demo_data() before scale_enterprises()")
    segments_by_chain: dict[int, list[int]] = {}
    for segment in models.ChainSegment.objects.filter(chain__code__in=chain_codes).order_by(
        "chain_id", "position", "order"
    ):
        segments_by_chain.setdefault(segment.chain_id, []).append(segment.pk)
    parks = dict(models.Park.objects.filter(name__in=[SCIENCE_CITY, ACCELERATOR]).values_list("name", "pk"))

    missing = total - models.Enterprise.objects.count()
    if missing > 0:
        taken = set(
            models.Enterprise.objects.filter(credit_code__startswith=SYNTHETIC_PREFIX).values_list(
                "credit_code", flat=True
            )
        )
        new: list[tuple[int, models.Enterprise]] = []
        serial = 0
        while len(new) < missing:
            serial += 1
            if serial > SYNTHETIC_MAX:
                raise SeedError(f"--enterprises: at most {SYNTHETIC_MAX} synthetic enterprises can be generated")
            code = synthetic_credit_code(serial)
            if code in taken:
                continue
            chain_code = chain_codes[serial % len(chain_codes)]
            # A quarter in the science city, a sixth in the accelerator, the rest outside the parks.
            slot = serial % 12
            park_id = parks.get(SCIENCE_CITY) if slot < 3 else parks.get(ACCELERATOR) if slot < 5 else None
            new.append((serial, _synthetic_row(serial, chain_code, park_id)))
        models.Enterprise.objects.bulk_create([e for _, e in new], batch_size=BATCH_SIZE)
        created[models.Enterprise._meta.label] += len(new)

        # Refetch the ids by code rather than rely on bulk_create returning them on every backend.
        ids = dict(
            models.Enterprise.objects.filter(credit_code__startswith=SYNTHETIC_PREFIX).values_list("credit_code", "pk")
        )
        memberships, honours = [], []
        for serial, enterprise in new:
            pk = ids[enterprise.credit_code]
            on_chains = [chain_codes[serial % len(chain_codes)]]
            if serial % 9 == 0:  # one in nine also sits on the next chain
                on_chains.append(chain_codes[(serial + 1) % len(chain_codes)])
            for chain_code in on_chains:
                chain_id = chains[chain_code].pk
                chain_segments = segments_by_chain[chain_id]
                segment_id = chain_segments[(serial // len(chain_codes)) % len(chain_segments)]
                memberships.append(models.ChainMembership(chain_id=chain_id, enterprise_id=pk, segment_id=segment_id))
            year = 2018 + serial % 8
            if serial % 5 == 0:
                honours.append(models.EnterpriseHonour(enterprise_id=pk, honour=models.Honour.HIGH_TECH, year=year))
            if serial % 17 == 3:
                honours.append(
                    models.EnterpriseHonour(enterprise_id=pk, honour=models.Honour.PROVINCIAL_SPECIALISED, year=year)
                )
        models.ChainMembership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
        models.EnterpriseHonour.objects.bulk_create(honours, batch_size=BATCH_SIZE)
        created[models.ChainMembership._meta.label] += len(memberships)
        created[models.EnterpriseHonour._meta.label] += len(honours)

    created[models.EnterpriseHonour._meta.label] += _top_up_honours(total=max(total, models.Enterprise.objects.count()))
    return +created


def _top_up_honours(*, total: int) -> int:
    """Grant the capped honours to synthetic enterprises until the district counts reach the targets.

    Never removes an honour; candidates are spread evenly over the synthetic serials (and so over
    the chains and parks), in credit-code order, so the choice is the same on every run.
    """
    counts = dict(
        models.EnterpriseHonour.objects.filter(honour__in=list(HONOUR_TARGETS))
        .values_list("honour")
        .annotate(n=Count("pk"))
        .values_list("honour", "n")
    )
    # A "little giant" is an SME; a single champion usually is not small. No enterprise gets both.
    eligible_sizes = {
        models.Honour.LITTLE_GIANT: [models.SizeClass.MEDIUM, models.SizeClass.SMALL],
        models.Honour.SINGLE_CHAMPION: [models.SizeClass.LARGE, models.SizeClass.MEDIUM],
        models.Honour.TWO_HIGH_FOUR_NEW: list(models.SizeClass),
    }
    exclusive = {
        models.Honour.LITTLE_GIANT: models.Honour.SINGLE_CHAMPION,
        models.Honour.SINGLE_CHAMPION: models.Honour.LITTLE_GIANT,
    }
    granted = 0
    for honour, target in honour_targets(total).items():
        needed = target - counts.get(honour, 0)
        if needed <= 0:
            continue
        excluded = [honour] + ([exclusive[honour]] if honour in exclusive else [])
        candidates = list(
            models.Enterprise.objects.filter(
                credit_code__startswith=SYNTHETIC_PREFIX, size_class__in=eligible_sizes[honour]
            )
            .exclude(pk__in=models.EnterpriseHonour.objects.filter(honour__in=excluded).values("enterprise_id"))
            .order_by("credit_code")
            .values_list("pk", flat=True)
        )
        picks = candidates if len(candidates) <= needed else candidates[:: len(candidates) // needed][:needed]
        # Inserted honour by honour: the next honour's exclusion reads these rows.
        models.EnterpriseHonour.objects.bulk_create(
            [models.EnterpriseHonour(enterprise_id=pk, honour=honour, year=HONOUR_YEARS[honour]) for pk in picks],
            batch_size=BATCH_SIZE,
        )
        granted += len(picks)
    return granted
