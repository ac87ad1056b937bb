"""Excel in and out for party organizations, through the shared plumbing (chainparty.spreadsheets,
chainparty.jobs): importers of the organization list and of the enterprises' party-member counts, and
exporters of the tree, the coverage table and the 应建未建 list. Registered from PartyorgsConfig.ready().

An import checks every row before anything is written (the job's check phase lists every error of
every row at once: unknown credit code, bad count, unknown superior or unit, a cycle, the joint-branch
limit, the other rules of ``services.rule_errors``), then writes all rows in one transaction, in bulk:
a few statements whatever the number of rows. Organizations are matched by name: a name already in
the tree updates that organization, a new one is added. Exports write only what the user may see."""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from chainparty.jobs import Exporter, Importer, register_exporter, register_importer
from chainparty.permissions import require_district_staff
from chainparty.spreadsheets import Column, Sheet, boolean, choice, date_value, integer, text
from chains.credit_code import normalise_credit_code
from chains.models import Enterprise
from partyorgs.compliance import Quarter
from partyorgs.filters import OrganizationFilter, PairingFilter
from partyorgs.models import BRANCH_KINDS, EnterprisePartyProfile, MeetingKind, OrgCoverage, OrgKind, PartyOrganization
from partyorgs.selectors import (
    coverage_for_user,
    list_branches_without_committee_for_user,
    list_meetings_for_user,
    list_organizations_for_user,
    list_pairings_for_user,
    list_should_establish_for_user,
)
from partyorgs.services import BRANCH_HAS_BELOW, CYCLE, member_count_errors, rule_errors
from partyorgs.terms import default_term_end

ORG_COLUMNS = [
    Column("name", _("Name"), text(max_length=200), required=True, help=_("The organization's full name"), width=36),
    Column("kind", _("Kind"), choice(OrgKind.choices), required=True, help=_("党委, 党总支, 党支部 or 联合党支部")),
    Column("parent", _("Superior organization"), text(max_length=200), help=_("The superior's full name"), width=36),
    Column(
        "enterprises",
        _("Enterprises covered (credit codes)"),
        text(),
        help=_("Unified social credit codes, one per line or separated by commas; a joint branch up to 5"),
        width=24,
    ),
    Column("unit", _("Unit covered"), text(max_length=100), help=_("A government unit's full name")),
    Column("secretary", _("Secretary"), text(max_length=50)),
    Column("formal_members", _("Formal members"), integer(min_value=0), help=_("A whole number, 0 or more")),
    Column("probationary_members", _("Probationary members"), integer(min_value=0)),
    Column("has_branch_committee", _("Branch committee elected"), boolean(), help=_("是 or 否")),
    Column("established_on", _("Established on"), date_value()),
    Column("term_started_on", _("Current term started on"), date_value()),
    Column(
        "term_ends_on",
        _("Current term ends on"),
        date_value(),
        help=_("Leave empty: 5 years after the start for a committee, 3 for the others."),
    ),
]
ORG_COLUMN = {column.key: column for column in ORG_COLUMNS}
_SCALARS = ("secretary", "has_branch_committee", "established_on", "term_started_on", "term_ends_on")
_SPLIT = re.compile(r"[\s,，;；、]+")


def _codes(cell: str | None) -> list[str]:
    return [normalise_credit_code(code) for code in _SPLIT.split(cell or "") if code]


class _Plan:
    """What the rows name, looked up in bulk: the enterprises by credit code, the units by name and
    the whole tree (names, kinds, superiors), with the file's rows laid over it."""

    def __init__(self, rows: list[dict]):
        codes = {code for row in rows for code in _codes(row["enterprises"])}
        self.enterprises = dict(Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", "pk"))
        units = {row["unit"] for row in rows if row["unit"]}
        self.units = dict(Unit.objects.filter(name__in=units).values_list("name", "pk"))
        tree = list(PartyOrganization.objects.values_list("pk", "name", "kind", "parent_id"))
        names = {pk: name for pk, name, _kind, _parent in tree}
        self.existing = {name: pk for pk, name, _kind, _parent in tree}
        self.kinds = {name: kind for _pk, name, kind, _parent in tree}
        self.parents = {name: names.get(parent) for _pk, name, _kind, parent in tree}
        for row in rows:
            if row["name"]:
                self.kinds[row["name"]] = row["kind"]
                self.parents[row["name"]] = row["parent"] or None

    def in_a_cycle(self, name: str) -> bool:
        """Walking up from ``name`` comes back to it (a cycle above it is reported on its own rows)."""
        seen: set[str] = set()
        current = self.parents.get(name)
        while current is not None and current not in seen:
            if current == name:
                return True
            seen.add(current)
            current = self.parents.get(current)
        return False

    def has_below(self, name: str) -> bool:
        return any(parent == name for parent in self.parents.values())


def check_organizations(sheet: Sheet, actor: User) -> None:
    plan = _Plan(sheet.rows)
    names = Counter(row["name"] for row in sheet.rows if row["name"])
    for row in sheet.rows:
        name = row["name"]
        if name and names[name] > 1:
            sheet.error(row, ORG_COLUMN["name"], gettext("named more than once in the file"))
        codes = _codes(row["enterprises"])
        unknown = [code for code in codes if code not in plan.enterprises]
        if unknown:
            sheet.error(
                row,
                ORG_COLUMN["enterprises"],
                gettext("no enterprise has the credit code %(codes)s") % {"codes": "、".join(unknown)},
            )
        if row["unit"] and row["unit"] not in plan.units:
            sheet.error(row, ORG_COLUMN["unit"], gettext("no unit is called “%(name)s”") % {"name": row["unit"]})
        parent = row["parent"]
        if parent and parent not in plan.kinds:
            message = gettext("no organization is called “%(name)s”, in the tree or in this file")
            sheet.error(row, ORG_COLUMN["parent"], message % {"name": parent})
        # A blank count is 0; a cell that failed to parse is None and has its error listed already.
        values = {
            **row,
            "name": name or "",
            "enterprises": codes,
            "unit": row["unit"] or None,
            "formal_members": row["formal_members"] or 0,
            "probationary_members": row["probationary_members"] or 0,
        }
        for field, message in rule_errors(values, parent_kind=plan.kinds.get(parent) if parent else None):
            if field in ("name", "kind") and row[field] is None:
                continue  # missing or unreadable: said already
            sheet.error(row, ORG_COLUMN[field], message)
        if name and parent and plan.in_a_cycle(name):
            sheet.error(row, ORG_COLUMN["parent"], str(CYCLE) % {"parent": parent})
        if name and row["kind"] in BRANCH_KINDS and plan.has_below(name):
            sheet.error(row, ORG_COLUMN["kind"], str(BRANCH_HAS_BELOW))


def write_organizations(rows: list[dict], actor: User) -> dict[str, int]:
    require_district_staff(actor)
    plan = _Plan(rows)
    # The check ran before this transaction; a move made since could close a cycle. Asked again here,
    # it rolls the whole import back (the job page shows why).
    cycles = [row["name"] for row in rows if row["parent"] and plan.in_a_cycle(row["name"])]
    if cycles:
        raise ValidationError({"parent": [str(CYCLE) % {"parent": name} for name in cycles]})
    existing = {org.name: org for org in PartyOrganization.objects.filter(name__in=[row["name"] for row in rows])}
    new: list[PartyOrganization] = []
    changed: list[PartyOrganization] = []
    for row in rows:
        org = existing.get(row["name"]) or PartyOrganization(name=row["name"])
        org.kind = row["kind"]
        org.unit_id = plan.units.get(row["unit"]) if row["unit"] else None
        org.formal_members = row["formal_members"] or 0
        org.probationary_members = row["probationary_members"] or 0
        org.secretary = row["secretary"] or ""
        org.has_branch_committee = bool(row["has_branch_committee"])
        org.established_on, org.term_started_on = row["established_on"], row["term_started_on"]
        org.term_ends_on = row["term_ends_on"]
        if org.term_started_on and not org.term_ends_on:
            org.term_ends_on = default_term_end(org.kind, org.term_started_on)
        org.updated_at = timezone.now()
        (changed if org.pk else new).append(org)
    fields = ["kind", "unit_id", "formal_members", "probationary_members", *_SCALARS, "updated_at"]
    PartyOrganization.objects.bulk_update(changed, fields, batch_size=1000)
    PartyOrganization.objects.bulk_create(new, batch_size=1000)
    # Superiors last: a row may name one that the file itself adds.
    by_name = {org.name: org for org in [*changed, *new]}
    parents = {row["parent"] for row in rows if row["parent"]} - set(by_name)
    ids = {**dict(PartyOrganization.objects.filter(name__in=parents).values_list("name", "pk"))}
    ids.update({name: org.pk for name, org in by_name.items()})
    for row in rows:
        by_name[row["name"]].parent_id = ids[row["parent"]] if row["parent"] else None
    PartyOrganization.objects.bulk_update(list(by_name.values()), ["parent_id"], batch_size=1000)
    OrgCoverage.objects.filter(organization__in=[org.pk for org in by_name.values()]).delete()
    OrgCoverage.objects.bulk_create(
        [
            OrgCoverage(organization_id=by_name[row["name"]].pk, enterprise_id=plan.enterprises[code])
            for row in rows
            for code in dict.fromkeys(_codes(row["enterprises"]))
        ],
        batch_size=2000,
    )
    return {"created": len(new), "updated": len(changed)}


# --- party-member counts ------------------------------------------------------------------------
MEMBER_COLUMNS = [
    Column("credit_code", _("Unified social credit code"), text(max_length=30), required=True, width=24),
    Column("enterprise", _("Enterprise"), text(max_length=200), help=_("For people; the credit code decides")),
    Column("formal_members", _("Formal members"), integer(min_value=0), required=True),
    Column("probationary_members", _("Probationary members"), integer(min_value=0)),
]
MEMBER_COLUMN = {column.key: column for column in MEMBER_COLUMNS}


def check_party_members(sheet: Sheet, actor: User) -> None:
    codes = [normalise_credit_code(row["credit_code"]) for row in sheet.rows if row["credit_code"]]
    known = set(Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True))
    seen = Counter(codes)
    for row in sheet.rows:
        code = normalise_credit_code(row["credit_code"]) if row["credit_code"] else None
        if code and code not in known:
            sheet.error(row, MEMBER_COLUMN["credit_code"], gettext("no enterprise has this credit code"))
        elif code and seen[code] > 1:
            sheet.error(row, MEMBER_COLUMN["credit_code"], gettext("named more than once in the file"))
        if row["formal_members"] is not None:
            for field, message in member_count_errors(row["formal_members"], row["probationary_members"] or 0):
                sheet.error(row, MEMBER_COLUMN[field], message)


def write_party_members(rows: list[dict], actor: User) -> dict[str, int]:
    require_district_staff(actor)
    ids = dict(
        Enterprise.objects.filter(
            credit_code__in=[normalise_credit_code(row["credit_code"]) for row in rows]
        ).values_list("credit_code", "pk")
    )
    profiles = [
        EnterprisePartyProfile(
            enterprise_id=ids[normalise_credit_code(row["credit_code"])],
            formal_members=row["formal_members"],
            probationary_members=row["probationary_members"] or 0,
        )
        for row in rows
    ]
    EnterprisePartyProfile.objects.bulk_create(
        profiles,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["enterprise"],
        update_fields=["formal_members", "probationary_members", "updated_at"],
    )
    return {"enterprises": len(profiles)}


# --- exports ------------------------------------------------------------------------------------
def _yes_no(value: bool) -> str:
    return gettext("yes") if value else gettext("no")


def _organization_row(org: Any) -> tuple:  # a row of list_organizations_for_user, annotated
    """An organization in the import's columns (from list_organizations_for_user: the superior only
    when in scope, the covered enterprises the actor sees)."""
    return (
        org.name,
        org.get_kind_display(),
        org.superior_name or "",
        "\n".join(e.credit_code for e in org.covered),
        org.unit.name if org.unit else "",
        org.secretary,
        org.formal_members,
        org.probationary_members,
        _yes_no(org.has_branch_committee),
        org.established_on,
        org.term_started_on,
        org.term_ends_on,
    )


def _organization_rows(orgs: QuerySet[PartyOrganization]) -> tuple[int, Iterable[Sequence[Any]]]:
    return orgs.count(), (_organization_row(org) for org in orgs.iterator(chunk_size=1000))


def organization_rows(actor: User, params: QueryDict) -> tuple[int, Iterable[Sequence[Any]]]:
    """The tree as the organization list shows it (its filters in ``params``), in the import's columns:
    an export edited and imported again updates the same organizations."""
    filterset = OrganizationFilter(params or None, queryset=list_organizations_for_user(actor), user=actor)
    return _organization_rows(filterset.page_rows())


def branches_without_committee_rows(actor: User, params: QueryDict) -> tuple[int, Iterable[Sequence[Any]]]:
    """The branches due to elect a branch committee (the 应建未建 page's second list, which shows the
    first SHOULD_ESTABLISH_SHOWN), in the import's columns: marked 是 under 已选支委 and imported again,
    a branch leaves the list."""
    return _organization_rows(list_branches_without_committee_for_user(actor))


COVERAGE_COLUMNS = [
    Column("scope", _("Scope")),
    Column("name", _("Name"), width=30),
    Column("chain", _("Chain"), width=24),
    Column("enterprises", _("Enterprises")),
    Column("organization", _("Organization coverage")),
    Column("organization_rate", _("Organization coverage rate")),
    Column("work", _("Work coverage")),
    Column("work_rate", _("Work coverage rate")),
    Column("none", _("Not covered")),
]


def coverage_rows(actor: User, params: QueryDict) -> tuple[int, Iterable[Sequence[Any]]]:
    coverage = coverage_for_user(actor)
    groups = [
        (_("District"), [coverage.district]),
        (_("Chain"), coverage.chains),
        (_("Park"), coverage.parks),
        (_("Segment"), coverage.segments),
    ]
    rows = [
        (
            str(label),
            row.name,
            row.chain_name,
            row.enterprises,
            row.organization,
            f"{row.organization_rate}%" if row.organization_rate is not None else "",
            row.work,
            f"{row.work_rate}%" if row.work_rate is not None else "",
            row.none,
        )
        for label, group in groups
        for row in group
    ]
    return len(rows), rows


SHOULD_COLUMNS = [
    Column("name", _("Enterprise"), width=36),
    Column("credit_code", _("Unified social credit code"), width=24),
    Column("park", _("Park")),
    Column("formal_members", _("Formal members")),
    Column("probationary_members", _("Probationary members")),
    Column("employees", _("Employees")),
]


def should_establish_rows(actor: User, params: QueryDict) -> tuple[int, Iterable[Sequence[Any]]]:
    enterprises = list_should_establish_for_user(actor)

    def rows():
        for e in enterprises.iterator(chunk_size=1000):
            profile = e.party_profile
            yield (
                e.name,
                e.credit_code,
                e.park.name if e.park else "",
                profile.formal_members,
                profile.probationary_members,
                e.employees,
            )

    return enterprises.count(), rows()


def _business(user: User) -> bool:
    return user.has_business_role


MEETING_COLUMNS = [
    Column("quarter", _("Quarter"), width=10),
    Column("organization", _("Party organization"), width=36),
    Column("kind", _("Kind"), width=12),
    Column("held_on", _("Held on"), width=12),
    Column("topic", _("Topic"), width=40),
    Column("attendance", _("Attendance")),
    Column("recorded_by", _("Recorded by"), width=16),
]


def meeting_rows(actor: User, params: QueryDict) -> tuple[int, Iterable[Sequence[Any]]]:
    """三会一课 records of the quarter the compliance page shows (``quarter``, this one when none or a
    malformed one is given, as the page falls back), of the organizations the actor sees, by
    organization and day."""
    quarter = Quarter.parse(params.get("quarter", "")) or Quarter.of(timezone.localdate())
    meetings = (
        list_meetings_for_user(actor)
        .filter(held_on__gte=quarter.first_day, held_on__lte=quarter.last_day)
        .order_by("organization__name", "held_on", "pk")
    )
    labels = dict(MeetingKind.choices)

    def rows():
        for meeting in meetings.iterator(chunk_size=500):
            yield (
                str(quarter),
                meeting.organization.name,
                str(labels.get(meeting.kind, meeting.kind)),
                meeting.held_on,
                meeting.topic,
                meeting.attendance,
                meeting.recorded_by.full_name or meeting.recorded_by.username,
            )

    return meetings.count(), rows()


PAIRING_COLUMNS = [
    Column("chain", _("Chain"), width=24),
    Column("department_org", _("Department organization"), width=36),
    Column("enterprise_org", _("Enterprise organization"), width=36),
    Column("start_on", _("Start"), width=12),
    Column("end_on", _("End"), width=12),
    Column("goals", _("Goals"), width=48),
    Column("activities", _("Activities")),
    Column("last_activity", _("Last activity"), width=12),
]


def pairing_rows(actor: User, params: QueryDict) -> tuple[int, Iterable[Sequence[Any]]]:
    """The pairings the list shows for these filters (a bad filter exports nothing, as the list then
    shows nothing), with how many activities each has had and the last one's day."""
    filterset = PairingFilter(params or None, queryset=list_pairings_for_user(actor), user=actor)
    pairings = (
        filterset.page_rows()
        .prefetch_related(None)
        .annotate(activity_count=Count("activities"), last_activity=Max("activities__held_on"))
    )

    def rows():
        for pairing in pairings.iterator(chunk_size=500):
            yield (
                pairing.chain.name,
                pairing.department_org.name,
                pairing.enterprise_org.name,
                pairing.start_on,
                pairing.end_on,
                pairing.goals,
                pairing.activity_count,
                pairing.last_activity,
            )

    return pairings.count(), rows()


def register() -> None:
    register_importer(
        Importer(
            name="partyorgs.organizations",
            title=_("Party organizations"),
            columns=ORG_COLUMNS,
            check=check_organizations,
            write=write_organizations,
            examples=[
                [
                    "中共示例科技有限公司支部委员会",
                    "党支部",
                    "中共区科技系统行业党委",
                    "91440112MA5XXXXXXX",
                    "",
                    "张三",
                    5,
                    1,
                    "否",
                    "2020-06-01",
                    "2024-06-01",
                    "",
                ],
            ],
            help=_(
                "One organization per row. A name already in the tree updates that organization; a new "
                "name adds one. The superior may be an organization of the tree or of this file."
            ),
        )
    )
    register_importer(
        Importer(
            name="partyorgs.party_members",
            title=_("Enterprises' party members"),
            columns=MEMBER_COLUMNS,
            check=check_party_members,
            write=write_party_members,
            examples=[["91440112MA5XXXXXXX", "示例科技有限公司", 3, 0]],
            help=_("One enterprise per row: how many formal and probationary party members work there."),
        )
    )
    register_exporter(
        Exporter(
            name="partyorgs.organizations",
            title=_("Party organizations"),
            columns=ORG_COLUMNS,
            source=organization_rows,
            allowed=_business,
        )
    )
    register_exporter(
        Exporter(
            name="partyorgs.meetings",
            title=_("Party meeting records (三会一课)"),
            columns=MEETING_COLUMNS,
            source=meeting_rows,
            allowed=_business,
        )
    )
    register_exporter(
        Exporter(
            name="partyorgs.pairings",
            title=_("Pairings"),
            columns=PAIRING_COLUMNS,
            source=pairing_rows,
            allowed=_business,
        )
    )
    register_exporter(
        Exporter(
            name="partyorgs.coverage",
            title=_("Coverage"),
            columns=COVERAGE_COLUMNS,
            source=coverage_rows,
            allowed=_business,
        )
    )
    register_exporter(
        Exporter(
            name="partyorgs.branches_without_committee",
            title=_("Branches due to elect a branch committee"),
            columns=ORG_COLUMNS,
            source=branches_without_committee_rows,
            allowed=_business,
        )
    )
    register_exporter(
        Exporter(
            name="partyorgs.should_establish",
            title=_("Should establish"),
            columns=SHOULD_COLUMNS,
            source=should_establish_rows,
            allowed=_business,
        )
    )
