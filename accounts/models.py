from functools import cached_property
from typing import TypeAlias

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import BUSINESS_ROLES, Role


class UnitKind(models.TextChoices):
    DISTRICT_COMMITTEE = "district_committee", _("District committee")
    TWO_NEW_COMMITTEE = "two_new_committee", _("Two-new working committee")
    ECONOMIC_DEPARTMENT = "economic_department", _("Economic department")
    INDUSTRY_PARTY_COMMITTEE = "industry_party_committee", _("Industry party committee")
    TOWN_STREET = "town_street", _("Town / street")
    STATE_OWNED_ENTERPRISE = "state_owned_enterprise", _("State-owned enterprise")
    PARK_COMMITTEE = "park_committee", _("Park management committee")


class Unit(models.Model):
    """A government unit: a department, committee, town/street, state-owned enterprise or park committee."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices, db_index=True)
    # The industry party committee a unit reports to; the first rung of the escalation ladder (§4.6).
    industry_committee = models.ForeignKey(
        "self",
        verbose_name=_("industry party committee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_units",
        limit_choices_to={"kind": UnitKind.INDUSTRY_PARTY_COMMITTEE},
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person. Belongs to a government unit or to an enterprise (never both); roles are groups."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    enterprise = models.ForeignKey(
        "chains.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(enterprise__isnull=True),
                name="user_unit_or_enterprise_not_both",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        # One query per request at most; views and selectors ask this many times.
        if not self.is_active:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def is_district_staff(self) -> bool:
        return self.has_role(Role.DISTRICT_STAFF)

    @property
    def has_business_role(self) -> bool:
        """May see business data at all (三员分立: the security and audit administrators may not)."""
        return self.is_superuser or bool(self.roles & BUSINESS_ROLES)


# Whom a request may come from. Scope (each model's `visible_to`) takes either and gives the anonymous
# user nothing; services take a User, the one who acts.
AnyUser: TypeAlias = User | AnonymousUser
