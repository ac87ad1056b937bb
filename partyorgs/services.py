"""Writes of the party-organization tree (design §4.4) and the enterprises' party-member counts.

District staff keep the tree. Every write checks the whole request first and reports every problem
at once, keyed by field (Django ValidationError: a 400 on the API, form errors on a page), then
writes in one transaction; a refused request leaves nothing written. Rules:

- member counts are 0 or more, and probationary members need at least one formal member;
- a term ends after it starts; its end defaults to the start plus the kind's length (5 years for a
  committee, 3 otherwise);
- only a joint branch covers several enterprises, and no more than ``JOINT_BRANCH_LIMIT``;
- an organization covers enterprises or a unit, not both;
- a branch has nothing below it, and no organization may sit below itself (a cycle).
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import UnitKind, User
from accounts.roles import Role
from chainparty.permissions import require_district_staff
from chains.models import Chain, ChainMaster, ChainMasterStatus, Enterprise
from partyorgs import tree
from partyorgs.compliance import has_committee
from partyorgs.models import (
    BRANCH_KINDS,
    COMMITTEE_ONLY,
    JOINT_BRANCH_LIMIT,
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
    Programme,
)
from partyorgs.terms import default_term_end

ORG_FIELDS = (
    "name",
    "kind",
    "parent",
    "unit",
    "enterprises",
    "secretary",
    "formal_members",
    "probationary_members",
    "has_branch_committee",
    "established_on",
    "term_started_on",
    "term_ends_on",
)
_SCALARS = tuple(name for name in ORG_FIELDS if name != "enterprises")


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def member_count_errors(formal: Any, probationary: Any) -> list[tuple[str, str]]:
    """Counts are whole numbers, 0 or more; probationary members need at least one formal member."""
    errors = []
    for name, value in (("formal_members", formal), ("probationary_members", probationary)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors.append((name, _("Give a whole number, 0 or more.")))
    if isinstance(formal, int) and isinstance(probationary, int) and probationary > 0 and formal == 0:
        errors.append(("probationary_members", _("Probationary members need at least one formal member.")))
    return errors


CYCLE = _lazy("%(parent)s is this organization or sits below it: an organization cannot be its own superior.")
BRANCH_HAS_BELOW = _lazy("Organizations sit below this one; a branch has none below it.")
NAME_TAKEN = _lazy("An organization of this name exists already.")


def rule_errors(values: Mapping[str, Any], *, parent_kind: str | None) -> list[tuple[str, str]]:
    """The rules of one organization that need no lookup, as (field, message) pairs: the services
    and the Excel import (on every row) both run them. ``values`` holds ``name``, ``kind``, the
    counts, the dates, ``enterprises`` (ids or objects, one per enterprise covered) and ``unit``
    (anything, or None); ``parent_kind`` is the superior's kind, if it has one."""
    errors: list[tuple[str, str]] = []
    if not (values.get("name") or "").strip():
        errors.append(("name", _("Give the organization's name.")))
    kind = values.get("kind")
    if kind not in OrgKind.values:
        errors.append(("kind", _("Choose a kind: committee, general branch, branch or joint branch.")))
        kind = None
    errors.extend(member_count_errors(values.get("formal_members"), values.get("probationary_members")))

    enterprises = list(values.get("enterprises") or [])
    if len(set(enterprises)) != len(enterprises):
        errors.append(("enterprises", _("An enterprise is named twice.")))
    if kind == OrgKind.JOINT_BRANCH and len(enterprises) > JOINT_BRANCH_LIMIT:
        message = _(
            "A joint branch covers no more than %(limit)d enterprises (2018 branch regulation); "
            "%(count)d given. Set up a branch of their own in those with 3 or more formal members, "
            "or a second joint branch."
        )
        errors.append(("enterprises", message % {"limit": JOINT_BRANCH_LIMIT, "count": len(enterprises)}))
    elif kind and kind != OrgKind.JOINT_BRANCH and len(enterprises) > 1:
        message = _("Only a joint branch covers several enterprises; this one covers one at most.")
        errors.append(("enterprises", message))
    if values.get("unit") is not None and enterprises:
        errors.append(("unit", _("An organization covers enterprises or a unit, not both.")))

    started, ends = values.get("term_started_on"), values.get("term_ends_on")
    if ends is not None and started is None:
        errors.append(("term_started_on", _("Give the start of the term with its end.")))
    if started is not None and ends is not None and ends <= started:
        errors.append(("term_ends_on", _("The term must end after it starts.")))
    established = values.get("established_on")
    if established is not None and started is not None and started < established:
        errors.append(("term_started_on", _("The term cannot start before the organization was established.")))
    if parent_kind in BRANCH_KINDS:
        errors.append(("parent", _("A branch has no organizations below it: choose a committee or general branch.")))
    return errors


def _check(values: dict[str, Any], organization: PartyOrganization | None, errors: _Errors) -> None:
    values["name"] = (values.get("name") or "").strip()
    parent: PartyOrganization | None = values.get("parent")
    for name, message in rule_errors(values, parent_kind=parent.kind if parent else None):
        errors.add(name, message)
    taken = PartyOrganization.objects.filter(name=values["name"])
    if organization is not None:
        taken = taken.exclude(pk=organization.pk)
    if values["name"] and taken.exists():
        errors.add("name", str(NAME_TAKEN))
    kind, started = values.get("kind"), values.get("term_started_on")
    if started is not None and values.get("term_ends_on") is None and kind in OrgKind.values:
        values["term_ends_on"] = default_term_end(kind, started)
    below: list[int] = []
    if parent is not None and organization is not None and organization.pk is not None:
        below = [organization.pk, *tree.descendant_ids(organization.pk)]
    if parent is not None and parent.pk in below:
        errors.add("parent", str(CYCLE) % {"parent": parent.name})
    has_below = organization is not None and PartyOrganization.objects.filter(parent=organization).exists()
    if kind in BRANCH_KINDS and has_below:
        errors.add("kind", str(BRANCH_HAS_BELOW))


def _lock_path(organization: PartyOrganization | None, parent: PartyOrganization | None) -> None:
    """Lock the organization, its new superior and the superior's own superiors, so that no other
    change of the tree can slip a cycle in between the check and the write."""
    ids = set()
    if organization is not None and organization.pk is not None:
        ids.add(organization.pk)
    if parent is not None:
        ids.add(parent.pk)
        ids.update(tree.ancestor_ids(parent.pk))
    if ids:
        list(PartyOrganization.objects.filter(pk__in=ids).order_by("pk").select_for_update().values_list("pk"))


def _values(data: Mapping[str, Any], organization: PartyOrganization | None) -> dict[str, Any]:
    unknown = set(data) - set(ORG_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Not a field of a party organization.")] for name in sorted(unknown)})
    values: dict[str, Any] = {}
    for name in _SCALARS:
        if name in data:
            values[name] = data[name]
        elif organization is not None:
            values[name] = getattr(organization, name)
        else:
            values[name] = {"secretary": "", "formal_members": 0, "probationary_members": 0}.get(name)
    if organization is not None and "term_started_on" in data and "term_ends_on" not in data:
        values["term_ends_on"] = None  # a new start with no end given: the kind's length from it
    values["has_branch_committee"] = bool(values.get("has_branch_committee"))
    values["secretary"] = (values.get("secretary") or "").strip()
    if "enterprises" in data:
        values["enterprises"] = list(data["enterprises"] or [])
    elif organization is not None and organization.pk is not None:
        values["enterprises"] = list(organization.enterprises.all())
    else:
        values["enterprises"] = []
    return values


def _save(organization: PartyOrganization, values: dict[str, Any]) -> PartyOrganization:
    for name in _SCALARS:
        setattr(organization, name, values[name])
    organization.save()
    wanted = {e.pk for e in values["enterprises"]}
    OrgCoverage.objects.filter(organization=organization).exclude(enterprise_id__in=wanted).delete()
    have = set(OrgCoverage.objects.filter(organization=organization).values_list("enterprise_id", flat=True))
    OrgCoverage.objects.bulk_create(
        OrgCoverage(organization=organization, enterprise_id=pk) for pk in sorted(wanted - have)
    )
    return organization


@transaction.atomic
def create_organization(*, actor: User, data: Mapping[str, Any]) -> PartyOrganization:
    """Add an organization to the tree; ``data`` holds ORG_FIELDS (parent, unit and enterprises as objects)."""
    require_district_staff(actor)
    values = _values(data, None)
    _lock_path(None, values.get("parent"))
    errors = _Errors()
    _check(values, None, errors)
    errors.raise_if_any()
    return _save(PartyOrganization(), values)


@transaction.atomic
def update_organization(*, actor: User, organization: PartyOrganization, data: Mapping[str, Any]) -> PartyOrganization:
    """Change an organization: the fields given in ``data`` (a partial update keeps the others)."""
    require_district_staff(actor)
    current = PartyOrganization.objects.get(pk=organization.pk)
    values = _values(data, current)
    _lock_path(current, values.get("parent"))
    errors = _Errors()
    _check(values, current, errors)
    errors.raise_if_any()
    return _save(current, values)


@transaction.atomic
def set_party_members(
    *, actor: User, enterprise: Enterprise, formal_members: int, probationary_members: int
) -> EnterprisePartyProfile:
    """Record how many party members work in an enterprise (what 应建未建 reads)."""
    require_district_staff(actor)
    errors = _Errors()
    for name, message in member_count_errors(formal_members, probationary_members):
        errors.add(name, message)
    errors.raise_if_any()
    profile, _created = EnterprisePartyProfile.objects.update_or_create(
        enterprise=enterprise,
        defaults={"formal_members": formal_members, "probationary_members": probationary_members},
    )
    return profile


# --- 三会一课 ----------------------------------------------------------------------------------
def may_record_meetings(user: User, organization: PartyOrganization) -> bool:
    """District staff; the contacts of an enterprise the organization covers; the handlers of the
    unit it covers: an organization's own people record its meetings."""
    if user.is_district_staff:
        return True
    contact_of = user.enterprise_id if user.has_role(Role.ENTERPRISE_CONTACT) else None
    if contact_of and OrgCoverage.objects.filter(organization=organization, enterprise_id=contact_of).exists():
        return True
    return bool(user.has_role(Role.UNIT_HANDLER) and user.unit_id and user.unit_id == organization.unit_id)


def _check_held(errors: _Errors, held_on: date | None) -> bool:
    """A meeting or activity is recorded once held: a day given, not in the future. True when so."""
    if held_on is None:
        errors.add("held_on", _("Give the day it was held."))
    elif held_on > timezone.localdate():
        errors.add("held_on", _("It is recorded once it has been held, not before."))
    else:
        return True
    return False


@transaction.atomic
def record_org_meeting(
    *,
    actor: User,
    organization: PartyOrganization,
    kind: str,
    held_on: date | None,
    topic: str,
    attendance: int | None,
) -> OrgMeeting:
    """Record a meeting of 三会一课 or a theme party day; every problem at once, keyed by field."""
    if not may_record_meetings(actor, organization):
        raise PermissionDenied(_("Only the organization's own people and district staff record its meetings."))
    errors = _Errors()
    if kind not in MeetingKind.values:
        errors.add("kind", _("Choose the kind of meeting."))
    elif kind in COMMITTEE_ONLY and not has_committee(organization):
        errors.add("kind", _("This organization has no committee, so it holds no committee or party-group meetings."))
    _check_held(errors, held_on)
    topic = (topic or "").strip()
    if not topic:
        errors.add("topic", _("Give the topic."))
    if not isinstance(attendance, int) or isinstance(attendance, bool) or attendance < 0:
        errors.add("attendance", _("Give a whole number, 0 or more."))
    elif attendance > organization.total_members:
        errors.add(
            "attendance",
            _("More attended than the organization's %(members)d members.") % {"members": organization.total_members},
        )
    errors.raise_if_any()
    # For the type checker: both were checked above.
    assert held_on is not None
    assert isinstance(attendance, int)
    return OrgMeeting.objects.create(
        organization=organization, kind=kind, held_on=held_on, topic=topic, attendance=attendance, recorded_by=actor
    )


# --- 红联共建 -----------------------------------------------------------------------------------
@transaction.atomic
def create_pairing(
    *,
    actor: User,
    department_org: PartyOrganization | None,
    enterprise_org: PartyOrganization | None,
    chain: Chain | None,
    start_on: date | None,
    end_on: date | None = None,
    goals: str = "",
    department_contact: str = "",
    enterprise_contact: str = "",
) -> Pairing:
    """Pair a department's party organization with an enterprise's on a chain (district staff)."""
    require_district_staff(actor)
    errors = _Errors()
    if department_org is None:
        errors.add("department_org", _("Choose the department's party organization."))
    elif department_org.unit is None or department_org.unit.kind != UnitKind.ECONOMIC_DEPARTMENT:
        errors.add("department_org", _("Choose the party organization of an economic department."))
    if chain is None:
        errors.add("chain", _("Choose the chain."))
    if enterprise_org is None:
        errors.add("enterprise_org", _("Choose the enterprise's party organization."))
    elif (
        chain is not None
        and not OrgCoverage.objects.filter(organization=enterprise_org, enterprise__memberships__chain=chain).exists()
    ):
        errors.add("enterprise_org", _("This organization covers no enterprise on the chain."))
    if start_on is None:
        errors.add("start_on", _("Give the start of the pairing."))
    elif end_on is not None and end_on <= start_on:
        errors.add("end_on", _("The pairing must end after it starts."))
    goals = (goals or "").strip()
    if not goals:
        errors.add("goals", _("Give the pairing's goals."))
    if (
        department_org is not None
        and enterprise_org is not None
        and chain is not None
        and Pairing.objects.filter(department_org=department_org, enterprise_org=enterprise_org, chain=chain).exists()
    ):
        errors.add("enterprise_org", _("These two organizations are paired on this chain already."))
    errors.raise_if_any()
    assert department_org is not None and enterprise_org is not None  # noqa: PT018 - checked above
    assert chain is not None and start_on is not None  # noqa: PT018 - checked above
    return Pairing.objects.create(
        department_org=department_org,
        enterprise_org=enterprise_org,
        chain=chain,
        start_on=start_on,
        end_on=end_on,
        goals=goals,
        department_contact=(department_contact or "").strip(),
        enterprise_contact=(enterprise_contact or "").strip(),
    )


def may_log_pairing_activity(user: User, pairing: Pairing) -> bool:
    """District staff and either side's own people (as for meetings)."""
    return may_record_meetings(user, pairing.department_org) or may_record_meetings(user, pairing.enterprise_org)


@transaction.atomic
def log_pairing_activity(
    *, actor: User, pairing: Pairing, programme: str, held_on: date | None, title: str, outcome: str = ""
) -> PairingActivity:
    """Log an activity under one of the three programmes (红领精英, 红创人才, 红联众创) and its outcome."""
    if not may_log_pairing_activity(actor, pairing):
        raise PermissionDenied(_("Only the paired organizations' people and district staff log its activities."))
    errors = _Errors()
    if programme not in Programme.values:
        errors.add("programme", _("Choose the programme: 红领精英, 红创人才 or 红联众创."))
    if _check_held(errors, held_on) and held_on is not None and not pairing.active_on(held_on):
        errors.add("held_on", _("The pairing did not run on that day."))
    title = (title or "").strip()
    if not title:
        errors.add("title", _("Give the activity's title."))
    errors.raise_if_any()
    assert held_on is not None  # for the type checker: checked above
    return PairingActivity.objects.create(
        pairing=pairing,
        programme=programme,
        held_on=held_on,
        title=title,
        outcome=(outcome or "").strip(),
        recorded_by=actor,
    )


# --- annual party plans ------------------------------------------------------------------------
WEIGHTS_TOTAL = Decimal(100)


def chain_master_organizations(chain: Chain) -> QuerySet[PartyOrganization]:
    """The party organizations of the chain's designated chain master (its enterprise's)."""
    masters = ChainMaster.objects.filter(chain=chain, status=ChainMasterStatus.DESIGNATED).values("enterprise_id")
    return PartyOrganization.objects.filter(coverages__enterprise_id__in=masters).distinct()


@transaction.atomic
def file_party_plan(
    *,
    actor: User,
    chain: Chain,
    organization: PartyOrganization | None,
    year: int | None,
    title: str,
    targets: list[dict[str, Any]],
    content: str = "",
    business_targets: str = "",
) -> AnnualPartyPlan:
    """File the chain master's party organization's plan for a year, with its weighted targets
    (``targets``: [{"description", "weight"}], the weights adding up to 100)."""
    errors = _Errors()
    if organization is None:
        errors.add("organization", _("Choose the chain master's party organization."))
    elif not chain_master_organizations(chain).filter(pk=organization.pk).exists():
        errors.add(
            "organization", _("Only the party organization of the chain's designated chain master files its plan.")
        )
    elif not may_record_meetings(actor, organization):
        raise PermissionDenied(_("Only the chain master's party organization and district staff file its plan."))
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not this_year - 1 <= year <= this_year + 1:
        errors.add(
            "year", _("Give a year from %(first)d to %(last)d.") % {"first": this_year - 1, "last": this_year + 1}
        )
    elif AnnualPartyPlan.objects.filter(chain=chain, year=year).exists():
        errors.add("year", _("The chain's plan for this year is filed already."))
    title = (title or "").strip()
    if not title:
        errors.add("title", _("Give the plan's title."))
    if not targets:
        errors.add("targets", _("Give at least one target."))
    total, bad_target = Decimal(0), False
    for index, target in enumerate(targets):
        if not str(target.get("description") or "").strip():
            errors.add(f"targets.{index}.description", _("Describe the target."))
        weight = target.get("weight")
        if not isinstance(weight, int | Decimal) or isinstance(weight, bool) or weight <= 0:
            errors.add(f"targets.{index}.weight", _("Give a weight above 0."))
            bad_target = True
        else:
            total += Decimal(weight)
    # The sum is said only when every weight is readable: otherwise it would name a wrong total.
    if targets and not bad_target and total != WEIGHTS_TOTAL:
        errors.add("targets", _("The weights add up to %(total)s, not 100.") % {"total": total})
    errors.raise_if_any()
    assert organization is not None and isinstance(year, int)  # noqa: PT018 - checked above
    plan = AnnualPartyPlan.objects.create(
        chain=chain,
        organization=organization,
        year=year,
        title=title,
        content=(content or "").strip(),
        business_targets=(business_targets or "").strip(),
        filed_on=timezone.localdate(),
        filed_by=actor,
    )
    PlanTarget.objects.bulk_create(
        PlanTarget(plan=plan, description=str(t["description"]).strip(), weight=Decimal(t["weight"])) for t in targets
    )
    return plan


@transaction.atomic
def score_party_plan(
    *, actor: User, plan: AnnualPartyPlan, scores: dict[int, Decimal], business_score: Decimal | None
) -> AnnualPartyPlan:
    """Score a plan at year end (from 1 December of its year): every target from 0 to its weight,
    and the chain's business score beside it (一体考核). District staff."""
    require_district_staff(actor)
    plan = AnnualPartyPlan.objects.select_for_update().get(pk=plan.pk)
    targets = {t.pk: t for t in plan.targets.all()}
    errors = _Errors()
    if timezone.localdate() < date(plan.year, 12, 1):
        errors.add("scores", _("A plan is scored at year end, from 1 December %(year)d.") % {"year": plan.year})
    missing = sorted(set(targets) - set(scores))
    if missing:
        errors.add("scores", _("Score every target (%(count)d missing).") % {"count": len(missing)})
    for pk, score in scores.items():
        target = targets.get(pk)
        if target is None:
            errors.add(f"scores.{pk}", _("Not a target of this plan."))
        elif not isinstance(score, int | Decimal) or isinstance(score, bool) or not 0 <= score <= target.weight:
            errors.add(f"scores.{pk}", _("Give a score from 0 to %(weight)s.") % {"weight": target.weight})
    if business_score is not None and not 0 <= business_score <= 100:
        errors.add("business_score", _("Give a score from 0 to 100."))
    errors.raise_if_any()
    for pk, score in scores.items():
        targets[pk].score = Decimal(score)
    PlanTarget.objects.bulk_update(list(targets.values()), ["score"])
    plan.business_score = business_score
    plan.scored_on = timezone.localdate()
    plan.save(update_fields=["business_score", "scored_on"])
    return plan


@transaction.atomic
def set_plan_deadline(*, actor: User, year: int, due_on: date) -> PlanDeadline:
    """The day by which the year's plans are due (district staff)."""
    require_district_staff(actor)
    if due_on.year not in (year - 1, year):
        raise ValidationError({"due_on": _("The deadline falls in the plan's year or the year before.")})
    deadline, _created = PlanDeadline.objects.update_or_create(year=year, defaults={"due_on": due_on})
    return deadline
