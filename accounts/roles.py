"""Roles are Django groups (design §5). The group name is the role's code; the label is for people."""

from django.db import models
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
