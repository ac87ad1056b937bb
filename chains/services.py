"""Writes of the chains app: enterprises (with their honours and chain memberships) and chain masters.

Every function takes keyword arguments, checks who may do it, validates the whole request before it
writes anything, and runs in one transaction: a bad honour or segment leaves nothing written.
Validation failures are Django ValidationErrors keyed by field, so pages and the API report them
the same way.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from chainparty.errors import InvalidTransition
from chainparty.permissions import STAFF_ONLY_CHANGES, require_district_staff
from chains.credit_code import normalise_credit_code, validate_credit_code
from chains.models import (
    SCORE_FIELDS,
    Chain,
    ChainMaster,
    ChainMasterStatus,
    ChainMembership,
    ChainSegment,
    Enterprise,
    EnterpriseHonour,
    Honour,
)

FIRST_HONOUR_YEAR = 1990
ENTERPRISE_FIELDS = ("name", "credit_code", "kind", "size_class", "park", "employees", "annual_output", "address")


class _Errors:
    """Collects field messages so one response names every problem, not just the first."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str | Promise) -> None:
        self.by_field.setdefault(field, []).append(str(message))

    def extend(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add(field, message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


# --- enterprises -------------------------------------------------------------------------------
@transaction.atomic
def create_enterprise(*, actor: User, data: Mapping[str, Any]) -> Enterprise:
    """Create an enterprise with its honours ([{honour, year}]) and memberships ([{segment}])."""
    require_district_staff(actor, STAFF_ONLY_CHANGES)
    enterprise = Enterprise()
    return _save_enterprise(enterprise=enterprise, data={"honours": [], "memberships": [], **data})


@transaction.atomic
def update_enterprise(*, actor: User, enterprise: Enterprise, data: Mapping[str, Any]) -> Enterprise:
    """Change the fields given in `data`; `honours` / `memberships`, when given, replace the lists."""
    require_district_staff(actor, STAFF_ONLY_CHANGES)
    # Lock the row: two editors replacing the memberships at once would otherwise interleave.
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    return _save_enterprise(enterprise=locked, data=data)


def _save_enterprise(*, enterprise: Enterprise, data: Mapping[str, Any]) -> Enterprise:
    errors = _Errors()
    for field in ENTERPRISE_FIELDS:
        if field in data:
            setattr(enterprise, field, data[field])
    if "credit_code" in data or enterprise.pk is None:
        enterprise.credit_code = normalise_credit_code(enterprise.credit_code)
        _check_credit_code(enterprise, errors)
    if enterprise.employees is not None and enterprise.employees < 0:
        errors.add("employees", _("The number of employees cannot be negative."))
    if enterprise.annual_output is not None and Decimal(enterprise.annual_output) < 0:
        errors.add("annual_output", _("Annual output cannot be negative."))
    honours = _clean_honours(data["honours"], errors) if "honours" in data else None
    segments = _clean_memberships(data["memberships"], errors) if "memberships" in data else None
    if segments is not None and enterprise.pk:
        _check_chain_masters_keep_their_chain(enterprise, segments, errors)
    try:
        enterprise.full_clean(exclude=[*errors.by_field, "credit_code"], validate_unique=False)
    except ValidationError as exc:
        errors.extend(exc)
    errors.raise_if_any()

    try:
        # A savepoint, so a concurrent insert of the same code becomes a field error, not a 500.
        with transaction.atomic():
            enterprise.save()
    except IntegrityError as exc:
        if Enterprise.objects.filter(credit_code=enterprise.credit_code).exclude(pk=enterprise.pk).exists():
            raise ValidationError({"credit_code": [_duplicate_code_message()]}) from exc
        raise
    if honours is not None:
        _replace_honours(enterprise, honours)
    if segments is not None:
        _replace_memberships(enterprise, segments)
    return enterprise


def _duplicate_code_message() -> str | Promise:
    return _("An enterprise with this unified social credit code already exists.")


def _check_credit_code(enterprise: Enterprise, errors: _Errors) -> None:
    try:
        validate_credit_code(enterprise.credit_code)
    except ValidationError as exc:
        for message in exc.messages:
            errors.add("credit_code", message)
        return
    taken = Enterprise.objects.filter(credit_code=enterprise.credit_code)
    if enterprise.pk:
        taken = taken.exclude(pk=enterprise.pk)
    if taken.exists():
        errors.add("credit_code", _duplicate_code_message())


def _clean_honours(items: Iterable[Mapping[str, Any]], errors: _Errors) -> dict[str, int]:
    this_year = timezone.localdate().year
    honours: dict[str, int] = {}
    for item in items:
        honour, year = item["honour"], int(item["year"])
        if honour not in Honour.values:
            errors.add("honours", _("%(honour)s is not a known honour.") % {"honour": honour})
            continue
        if honour in honours:
            errors.add("honours", _("The honour %(honour)s is listed more than once.") % {"honour": honour})
        if not FIRST_HONOUR_YEAR <= year <= this_year:
            errors.add(
                "honours",
                _("The year of %(honour)s must be between %(first)d and %(last)d; %(year)d is not.")
                % {"honour": honour, "first": FIRST_HONOUR_YEAR, "last": this_year, "year": year},
            )
        honours[honour] = year
    return honours


def _clean_memberships(items: Iterable[Mapping[str, Any]], errors: _Errors) -> list[ChainSegment]:
    wanted = [getattr(item["segment"], "pk", item["segment"]) for item in items]
    found = ChainSegment.objects.select_related("chain").in_bulk(wanted)
    segments: list[ChainSegment] = []
    chains_seen: set[int] = set()
    for segment_id in wanted:
        segment = found.get(segment_id)
        if segment is None:
            errors.add("memberships", _("There is no chain segment with id %(id)s.") % {"id": segment_id})
            continue
        if segment.chain_id in chains_seen:
            errors.add(
                "memberships",
                _("The enterprise can sit on the chain %(chain)s in one segment only.") % {"chain": segment.chain},
            )
            continue
        chains_seen.add(segment.chain_id)
        segments.append(segment)
    return segments


def _check_chain_masters_keep_their_chain(
    enterprise: Enterprise, segments: list[ChainSegment], errors: _Errors
) -> None:
    # A chain master (candidate or designated) must stay on its chain: revoke it first.
    kept = {segment.chain_id for segment in segments}
    masters = (
        ChainMaster.objects.filter(enterprise=enterprise)
        .exclude(status=ChainMasterStatus.REVOKED)
        .exclude(chain_id__in=kept)
        .select_related("chain")
    )
    for master in masters:
        errors.add(
            "memberships",
            _("The enterprise is a chain master of %(chain)s; revoke that before taking it off the chain.")
            % {"chain": master.chain},
        )


def _replace_honours(enterprise: Enterprise, honours: dict[str, int]) -> None:
    enterprise.honours.all().delete()
    EnterpriseHonour.objects.bulk_create(
        EnterpriseHonour(enterprise=enterprise, honour=honour, year=year) for honour, year in honours.items()
    )


def _replace_memberships(enterprise: Enterprise, segments: list[ChainSegment]) -> None:
    by_chain = {segment.chain_id: segment for segment in segments}
    enterprise.memberships.exclude(chain_id__in=by_chain).delete()
    existing = {membership.chain_id: membership for membership in enterprise.memberships.all()}
    for chain_id, segment in by_chain.items():
        membership = existing.get(chain_id)
        if membership is None:
            ChainMembership.objects.create(enterprise=enterprise, chain_id=chain_id, segment=segment)
        elif membership.segment_id != segment.pk:
            membership.segment = segment
            membership.save(update_fields=["segment"])


# --- chain masters -----------------------------------------------------------------------------
@transaction.atomic
def create_chain_master(
    *, actor: User, chain: Chain, enterprise: Enterprise, scores: Mapping[str, Decimal], note: str = ""
) -> ChainMaster:
    """Put an enterprise of the chain forward as a chain-master candidate, scored on §4.2's six criteria."""
    require_district_staff(actor, STAFF_ONLY_CHANGES)
    errors = _Errors()
    unknown = set(scores) - set(SCORE_FIELDS)
    if unknown:
        raise ValueError(f"unknown score fields: {sorted(unknown)}")
    master = ChainMaster(chain=chain, enterprise=enterprise, note=note, **scores)
    if not ChainMembership.objects.filter(chain=chain, enterprise=enterprise).exists():
        errors.add(
            "enterprise",
            _("%(enterprise)s is not on the chain %(chain)s; only its enterprises can be its chain master.")
            % {"enterprise": enterprise, "chain": chain},
        )
    elif ChainMaster.objects.filter(chain=chain, enterprise=enterprise).exists():
        errors.add(
            "enterprise",
            _("%(enterprise)s is already a chain master or candidate of %(chain)s.")
            % {"enterprise": enterprise, "chain": chain},
        )
    try:
        master.full_clean(exclude=[*errors.by_field], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.extend(exc)
    errors.raise_if_any()
    master.save()
    return master


@transaction.atomic
def designate_chain_master(*, actor: User, chain_master: ChainMaster) -> ChainMaster:
    """Make a candidate the chain's chain master, revoking the one designated before (one per chain)."""
    require_district_staff(actor, STAFF_ONLY_CHANGES)
    # Lock the chain first: two designations on one chain run one after the other, so the second
    # revokes the first instead of tripping the "one designated per chain" constraint.
    Chain.objects.select_for_update().get(pk=chain_master.chain_id)
    master = ChainMaster.objects.select_for_update().get(pk=chain_master.pk)
    if master.status != ChainMasterStatus.CANDIDATE:
        raise InvalidTransition(
            _("Only a candidate can be designated; this chain master is %(status)s.")
            % {"status": master.get_status_display()}
        )
    today = timezone.localdate()
    previous = ChainMaster.objects.select_for_update().filter(
        chain_id=master.chain_id, status=ChainMasterStatus.DESIGNATED
    )
    for other in previous:
        _revoke(other, today)
    master.status = ChainMasterStatus.DESIGNATED
    master.designated_on = today
    master.revoked_on = None
    master.save(update_fields=["status", "designated_on", "revoked_on"])
    return master


@transaction.atomic
def revoke_chain_master(*, actor: User, chain_master: ChainMaster) -> ChainMaster:
    """Withdraw a candidate or a designated chain master."""
    require_district_staff(actor, STAFF_ONLY_CHANGES)
    master = ChainMaster.objects.select_for_update().get(pk=chain_master.pk)
    if master.status == ChainMasterStatus.REVOKED:
        raise InvalidTransition(_("This chain master has already been revoked."))
    _revoke(master, timezone.localdate())
    return master


def _revoke(master: ChainMaster, day: date) -> None:
    master.status = ChainMasterStatus.REVOKED
    master.revoked_on = day
    master.save(update_fields=["status", "revoked_on"])
