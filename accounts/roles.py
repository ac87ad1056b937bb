"""Roles are Django groups (design §5). The group name is the role's code; the label is for people."""

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT_STAFF = "district_staff", _("District party-building staff")
    CHAIN_LEADER = "chain_leader", _("Chain leader")
    UNIT_HANDLER = "unit_handler", _("Unit handler")
    PARK_CHIEF = "park_chief", _("Park chief")
    FIRST_SECRETARY = "first_secretary", _("First secretary")
    ENTERPRISE_CONTACT = "enterprise_contact", _("Enterprise contact")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# 三员分立: the two administrators manage accounts and read the audit trail, never business data.
BUSINESS_ROLES = frozenset(Role) - {Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
ADMIN_ROLES = frozenset({Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


def role_combination_error(roles: Iterable[str]) -> str | None:
    """Why these roles may not be held together, or None (MLPS 2.0 level 3, 三员分立): a security or
    audit administrator holds no business role and not the other administrator's role either."""
    held = {str(role) for role in roles}
    admin = held & {str(role) for role in ADMIN_ROLES}
    if admin and len(held) > 1:
        labels = "、".join(str(Role(code).label) for code in sorted(held) if code in Role.values)
        return gettext(
            "Separation of duties: a security or audit administrator holds no other role (asked for: %(roles)s)."
        ) % {"roles": labels}
    return None
