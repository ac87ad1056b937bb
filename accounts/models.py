from functools import cached_property
from typing import TypeAlias

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
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
    # Password policy (accounts.passwords): expiry counts from here; an administrator who creates an
    # account or sets its password leaves the change to its owner at the next sign-in.
    password_changed_at = models.DateTimeField(_("password changed"), default=timezone.now)
    must_change_password = models.BooleanField(_("must change password"), default=False)

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

    def remember_roles(self, names) -> None:
        """The roles read together with the account (an API token's one query, accounts.tokens):
        `roles` without a query of its own."""
        self.__dict__["roles"] = frozenset(names) if self.is_active else frozenset()

    def has_role(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def is_district_staff(self) -> bool:
        return self.has_role(Role.DISTRICT_STAFF)

    @property
    def has_business_role(self) -> bool:
        """May see business data at all (三员分立: the security and audit administrators may not)."""
        return self.is_superuser or bool(self.roles & BUSINESS_ROLES)


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords, so that none of the last few is chosen again."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("password"), max_length=128)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("password history")
        verbose_name_plural = _("password histories")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class RecoveryCode(models.Model):
    """One recovery code of a user's second factor (accounts.twofactor): only its SHA-256 digest is
    kept (a code is random, 50 bits, so a slow hash adds nothing), and using it deletes it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "digest"], name="recovery_code_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class AuditKind(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_OUT = "sign_out", _("Signed out")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    LOCKED_OUT = "locked_out", _("Locked out")
    UNLOCKED = "unlocked", _("Lockout lifted")
    ACCOUNT_CREATED = "account_created", _("Account created")
    ACCOUNT_CHANGED = "account_changed", _("Account changed")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("Account deactivated")
    ACCOUNT_DELETED = "account_deleted", _("Account deleted")
    ROLES_CHANGED = "roles_changed", _("Roles changed")
    UNIT_CHANGED = "unit_changed", _("Unit or enterprise changed")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    TOKEN_USED = "token_used", _("API token used")
    ADMIN_WRITE = "admin_write", _("Change in the admin")
    EXPORT = "export", _("Export")
    PERSONAL_DATA_READ = "personal_data_read", _("Personal data read")
    AUDIT_PURGED = "audit_purged", _("Old audit entries purged")
    OTP_ENROLLED = "otp_enrolled", _("Second factor enrolled")
    OTP_VERIFIED = "otp_verified", _("Second factor verified")
    OTP_FAILED = "otp_failed", _("Wrong second-factor code")
    OTP_RESET = "otp_reset", _("Second factor reset")
    RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
    RECOVERY_CODES_CREATED = "recovery_codes_created", _("Recovery codes generated")


class AuditEvent(models.Model):
    """One entry of the audit trail (MLPS 2.0 level 3, security audit). Append-only: the database
    refuses any UPDATE, and any DELETE of an entry younger than 180 days (triggers in the migration),
    so neither the portal nor a superuser's shell rewrites it."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=32, choices=AuditKind.choices, db_index=True)
    # The actor's name is kept as text too: the trail outlives the account.
    actor = models.ForeignKey(
        User,
        verbose_name=_("actor"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target = models.CharField(_("object"), max_length=200, blank=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["actor_name", "-at"]), models.Index(fields=["kind", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.get_kind_display()}"


# Whom a request may come from. Scope (each model's `visible_to`) takes either and gives the anonymous
# user nothing; services take a User, the one who acts.
AnyUser: TypeAlias = User | AnonymousUser
