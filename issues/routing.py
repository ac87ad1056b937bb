"""Routing rules (design §4.6): category × chain → the unit suggested as lead when district staff
dispatch an issue. A rule without a chain is the category's default. District staff keep them;
suggest_lead_unit reads them.

Two constraints hold the table together (one rule per category and chain, one default per
category); these services check them first so that the answer names the field, and turn the
IntegrityError of a concurrent request that slipped past the check into the same field error."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from chainparty.permissions import require_district_staff
from chainparty.scope import find_by_id, get_visible_or_404
from chains.models import Chain
from issues.models import IssueCategory, RoutingRule


def suggest_lead_unit(*, category: IssueCategory, chain: Chain | None) -> Unit | None:
    """Routing rules: category × chain first, then the category's default, then the chain's lead unit."""
    rules = {rule.chain_id: rule.unit for rule in RoutingRule.objects.filter(category=category).select_related("unit")}
    if chain is not None and chain.pk in rules:
        return rules[chain.pk]
    if None in rules:
        return rules[None]
    return chain.lead_unit if chain is not None else None


def _resolve(*, category_id: object, chain_id: object, unit_id: object) -> tuple[IssueCategory, Chain | None, Unit]:
    errors = {}
    category = find_by_id(IssueCategory.objects.all(), category_id)
    if category is None:
        errors["category"] = _("Unknown category.")
    chain = None
    if chain_id not in (None, ""):
        chain = find_by_id(Chain.objects.all(), chain_id)
        if chain is None:
            errors["chain"] = _("Unknown chain.")
    unit = find_by_id(Unit.objects.filter(is_active=True), unit_id)
    if unit is None:
        errors["unit"] = _("Unknown unit, or a unit no longer active.")
    # A missing category or unit is in `errors` already; naming them again tells the type checker.
    if errors or category is None or unit is None:
        raise ValidationError(errors)
    return category, chain, unit


def _clash_error(chain: Chain | None) -> ValidationError:
    if chain is not None:
        return ValidationError({"chain": _("There is already a rule for this category and chain.")})
    return ValidationError({"category": _("This category already has a default rule (one without a chain).")})


def _clashes(rule: RoutingRule) -> bool:
    return RoutingRule.objects.filter(category=rule.category, chain=rule.chain).exclude(pk=rule.pk).exists()


def _save(rule: RoutingRule) -> RoutingRule:
    if _clashes(rule):
        raise _clash_error(rule.chain)
    try:
        # A savepoint: a concurrent request may insert the same category × chain between the check
        # above and this write; its unique constraint then refuses ours, and the caller gets the
        # field error, not a 500 and not a broken transaction.
        with transaction.atomic():
            rule.save()
    except IntegrityError as exc:
        if _clashes(rule):
            raise _clash_error(rule.chain) from exc
        raise
    return rule


@transaction.atomic
def create_routing_rule(*, actor: User, category_id: int, chain_id: int | None = None, unit_id: int) -> RoutingRule:
    require_district_staff(actor)
    category, chain, unit = _resolve(category_id=category_id, chain_id=chain_id, unit_id=unit_id)
    return _save(RoutingRule(category=category, chain=chain, unit=unit))


@transaction.atomic
def update_routing_rule(
    *, actor: User, rule: RoutingRule, category_id: int, chain_id: int | None, unit_id: int
) -> RoutingRule:
    """Every field is given (an API PATCH fills in the rule's current values for those left out)."""
    require_district_staff(actor)
    # Locked: two edits of one rule are applied one after the other, each checked against the other.
    locked = get_visible_or_404(RoutingRule.objects.select_for_update(), pk=rule.pk)
    locked.category, locked.chain, locked.unit = _resolve(category_id=category_id, chain_id=chain_id, unit_id=unit_id)
    return _save(locked)


@transaction.atomic
def delete_routing_rule(*, actor: User, rule: RoutingRule) -> None:
    require_district_staff(actor)
    RoutingRule.objects.filter(pk=rule.pk).delete()
