from decimal import Decimal
from typing import Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import AnyUser, User
from accounts.roles import Role
from chainparty.scope import ScopedQuerySet
from chains.credit_code import validate_credit_code
from secretaries.selectors import enterprise_ids_posted_to


# --- parks ------------------------------------------------------------------------------------
class ParkKind(models.TextChoices):
    SCIENCE_CITY = "science_city", _("Science city")
    ACCELERATOR = "accelerator", _("Technology-enterprise accelerator")
    INDUSTRIAL_PARK = "industrial_park", _("Industrial park")
    OTHER = "other", _("Other")


class ParkQuerySet(ScopedQuerySet["Park"]):
    distinct_scope = True  # through the chiefs

    def scope(self, user: User) -> Q:
        visible_enterprise_parks = Enterprise.objects.visible_to(user).filter(park__isnull=False).values("park_id")
        return Q(chiefs=user) | Q(pk__in=visible_enterprise_parks)


class Park(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ParkKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    management_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("management unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parks",
    )
    # 园长制: officials drawn from government units, with 综合指挥权 over the park (source §一.3).
    chiefs = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("park chiefs"), blank=True, related_name="parks_led"
    )

    objects = ParkQuerySet.as_manager()

    class Meta:
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FacilityKind(models.TextChoices):
    VENUE = "venue", _("Shared party-building venue")
    PLATFORM = "platform", _("Service platform")


class ParkFacility(models.Model):
    """A shared party-building venue (党建阵地) or a service platform (e.g. 金融服务超市) of a park."""

    park = models.ForeignKey(Park, verbose_name=_("park"), on_delete=models.CASCADE, related_name="facilities")
    kind = models.CharField(_("kind"), max_length=10, choices=FacilityKind.choices)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("park facility")
        verbose_name_plural = _("park facilities")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="park_facility_unique_name")]

    def __str__(self) -> str:
        return self.name


# --- chains -----------------------------------------------------------------------------------
class ChainQuerySet(ScopedQuerySet["Chain"]):
    def scope(self, user: User) -> Q:
        scope = Q(pk__in=[])
        if user.has_role(Role.CHAIN_LEADER):
            scope |= Q(pk__in=ChainLeadership.objects.filter(user=user).values("chain_id"))
        if user.has_role(Role.UNIT_HANDLER) and user.unit_id:
            scope |= Q(lead_unit_id=user.unit_id) | Q(industry_committee_id=user.unit_id)
            scope |= Q(pk__in=Chain.cooperating_units.through.objects.filter(unit_id=user.unit_id).values("chain_id"))
        if user.has_role(Role.PARK_CHIEF, Role.FIRST_SECRETARY, Role.ENTERPRISE_CONTACT):
            # The chains their enterprises sit on; what they see *of* the chain is limited by
            # Enterprise.visible_to, so a contact learns nothing of other enterprises.
            own = Enterprise.objects.visible_to(user).values("pk")
            scope |= Q(pk__in=ChainMembership.objects.filter(enterprise_id__in=own).values("chain_id"))
        return scope


class Chain(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    lead_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        related_name="chains_led",
    )
    cooperating_units = models.ManyToManyField(
        "accounts.Unit", verbose_name=_("cooperating units"), blank=True, related_name="chains_cooperating"
    )
    industry_committee = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("industry party committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chains_guided",
    )
    # The three coverage paths of §4.1; a chain may take more than one.
    path_industry_committee = models.BooleanField(_("industry committee path"), default=False)
    path_department = models.BooleanField(_("department path"), default=True)
    path_park = models.BooleanField(_("park path"), default=False)
    parks = models.ManyToManyField(Park, verbose_name=_("parks"), blank=True, related_name="chains")
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leaders"),
        through="ChainLeadership",
        related_name="chains_led",
    )

    objects = ChainQuerySet.as_manager()

    class Meta:
        verbose_name = _("industrial chain")
        verbose_name_plural = _("industrial chains")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def coverage_paths(self) -> list[str]:
        fields = ("path_industry_committee", "path_department", "path_park")
        return [str(self._meta.get_field(name).verbose_name) for name in fields if getattr(self, name)]


class LeaderRole(models.TextChoices):
    LEADER = "leader", _("Chain leader (链长)")
    DEPUTY = "deputy", _("Deputy chain leader (副链长)")


class ChainLeadership(models.Model):
    chain = models.ForeignKey(Chain, verbose_name=_("chain"), on_delete=models.CASCADE, related_name="leaderships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.CASCADE, related_name="chain_leaderships"
    )
    role = models.CharField(_("role"), max_length=10, choices=LeaderRole.choices, default=LeaderRole.LEADER)

    class Meta:
        verbose_name = _("chain leadership")
        verbose_name_plural = _("chain leaderships")
        ordering = ["role", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["chain", "user"], name="chain_leadership_unique")]

    def __str__(self) -> str:
        return f"{self.chain} · {self.get_role_display()} · {self.user}"


class SegmentPosition(models.TextChoices):
    UPSTREAM = "upstream", _("Upstream")
    MIDSTREAM = "midstream", _("Midstream")
    DOWNSTREAM = "downstream", _("Downstream")


class ChainSegment(models.Model):
    """A link of a chain's map (环节), ordered within its position."""

    chain = models.ForeignKey(Chain, verbose_name=_("chain"), on_delete=models.CASCADE, related_name="segments")
    position = models.CharField(_("position"), max_length=10, choices=SegmentPosition.choices)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("chain segment")
        verbose_name_plural = _("chain segments")
        ordering = ["chain", "position", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["chain", "name"], name="chain_segment_unique_name")]

    def __str__(self) -> str:
        return f"{self.get_position_display()} · {self.name}"


# --- enterprises ------------------------------------------------------------------------------
class EnterpriseKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    INSTITUTION = "institution", _("Institution")


class SizeClass(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


SME_SIZES = (SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.MICRO)


class Honour(models.TextChoices):
    LITTLE_GIANT = "little_giant", _('National specialised "little giant" (专精特新"小巨人")')
    PROVINCIAL_SPECIALISED = "provincial_specialised", _("Provincial specialised and innovative (专精特新)")
    SINGLE_CHAMPION = "single_champion", _("Manufacturing single champion (单项冠军示范企业)")
    TWO_HIGH_FOUR_NEW = "two_high_four_new", _('"Two high, four new" (两高四新)')
    HIGH_TECH = "high_tech", _("High-tech enterprise (高新技术企业)")


class EnterpriseQuerySet(ScopedQuerySet["Enterprise"]):
    def scope(self, user: User) -> Q:
        scope = Q(pk__in=[])
        if user.has_role(Role.CHAIN_LEADER):
            led = ChainLeadership.objects.filter(user=user).values("chain_id")
            scope |= Q(pk__in=ChainMembership.objects.filter(chain_id__in=led).values("enterprise_id"))
        if user.has_role(Role.UNIT_HANDLER) and user.unit_id:
            unit_chains = Chain.objects.filter(
                Q(lead_unit_id=user.unit_id)
                | Q(industry_committee_id=user.unit_id)
                | Q(cooperating_units__id=user.unit_id)
            ).values("pk")
            scope |= Q(pk__in=ChainMembership.objects.filter(chain_id__in=unit_chains).values("enterprise_id"))
        if user.has_role(Role.PARK_CHIEF):
            scope |= Q(park__in=Park.objects.filter(chiefs=user).values("pk"))
        if user.has_role(Role.FIRST_SECRETARY):
            scope |= Q(pk__in=enterprise_ids_posted_to(user))
        if user.has_role(Role.ENTERPRISE_CONTACT) and user.enterprise_id:
            scope |= Q(pk=user.enterprise_id)
        return scope

    def smes(self) -> Self:
        return self.filter(size_class__in=SME_SIZES)


class Enterprise(models.Model):
    name = models.CharField(_("name"), max_length=200, db_index=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EnterpriseKind.choices, default=EnterpriseKind.ENTERPRISE)
    size_class = models.CharField(_("size class"), max_length=8, choices=SizeClass.choices, db_index=True)
    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.SET_NULL, null=True, blank=True, related_name="enterprises"
    )
    employees = models.PositiveIntegerField(_("employees"), default=0)
    annual_output = models.DecimalField(
        _("annual output (10k CNY)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    chains = models.ManyToManyField(
        Chain, verbose_name=_("chains"), through="ChainMembership", related_name="enterprises"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(annual_output__gte=0), name="enterprise_output_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_sme(self) -> bool:
        return self.size_class in SME_SIZES


class EnterpriseHonour(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="honours"
    )
    honour = models.CharField(_("honour"), max_length=24, choices=Honour.choices)
    year = models.PositiveSmallIntegerField(
        _("year granted"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )

    class Meta:
        verbose_name = _("enterprise honour")
        verbose_name_plural = _("enterprise honours")
        ordering = ["honour", "-year"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "honour"], name="enterprise_honour_unique")]
        indexes = [models.Index(fields=["honour", "enterprise"], name="honour_enterprise_idx")]

    def __str__(self) -> str:
        return f"{self.get_honour_display()} ({self.year})"


class ChainMembership(models.Model):
    """An enterprise on a chain, in one segment of it."""

    chain = models.ForeignKey(Chain, verbose_name=_("chain"), on_delete=models.CASCADE, related_name="memberships")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="memberships"
    )
    segment = models.ForeignKey(
        ChainSegment, verbose_name=_("segment"), on_delete=models.PROTECT, related_name="memberships"
    )

    class Meta:
        verbose_name = _("chain membership")
        verbose_name_plural = _("chain memberships")
        constraints = [models.UniqueConstraint(fields=["chain", "enterprise"], name="chain_membership_unique")]
        indexes = [models.Index(fields=["enterprise", "chain"], name="membership_enterprise_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} @ {self.chain}"


# --- chain masters ----------------------------------------------------------------------------
SCORE_FIELDS = (
    "score_social_responsibility",
    "score_industry_influence",
    "score_system_integration",
    "score_chain_driving",
    "score_local_rootedness",
    "score_output_rank",
)


def _score(label):
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )


class ChainMasterStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    DESIGNATED = "designated", _("Designated")
    REVOKED = "revoked", _("Revoked")


class ChainMasterQuerySet(models.QuerySet["ChainMaster"]):
    def visible_to(self, user: AnyUser) -> Self:
        return self.filter(
            chain__in=Chain.objects.visible_to(user).values("pk"),
            enterprise__in=Enterprise.objects.visible_to(user).values("pk"),
        )


class ChainMaster(models.Model):
    """链主: an enterprise chosen to lead a chain, scored on the six criteria of §4.2."""

    chain = models.ForeignKey(Chain, verbose_name=_("chain"), on_delete=models.CASCADE, related_name="masters")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="chain_masterships"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ChainMasterStatus.choices, default=ChainMasterStatus.CANDIDATE
    )
    score_social_responsibility = _score(_("social responsibility"))
    score_industry_influence = _score(_("industry influence"))
    score_system_integration = _score(_("system-integration capability"))
    score_chain_driving = _score(_("chain-driving effect"))
    score_local_rootedness = _score(_("local rootedness"))
    score_output_rank = _score(_("output or market-share rank"))
    designated_on = models.DateField(_("designated on"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ChainMasterQuerySet.as_manager()

    class Meta:
        verbose_name = _("chain master")
        verbose_name_plural = _("chain masters")
        ordering = ["chain", "status", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "enterprise"], name="chain_master_unique_enterprise"),
            # A chain has at most one designated chain master at a time.
            models.UniqueConstraint(
                fields=["chain"], condition=Q(status="designated"), name="chain_master_one_designated"
            ),
        ] + [
            models.CheckConstraint(condition=Q(**{f"{name}__gte": 0, f"{name}__lte": 100}), name=f"cm_{name}_range")
            for name in SCORE_FIELDS
        ]

    def __str__(self) -> str:
        return f"{self.chain} · {self.enterprise}"

    @property
    def total_score(self) -> Decimal:
        return sum((getattr(self, name) for name in SCORE_FIELDS), Decimal("0"))

    @property
    def scores(self) -> list[tuple[str, Decimal]]:
        return [(str(self._meta.get_field(name).verbose_name), getattr(self, name)) for name in SCORE_FIELDS]


class MemberSource(models.TextChoices):
    INTERNAL = "internal", _("Chosen internally")
    SECONDED = "seconded", _("Seconded from another enterprise")
    HIRED = "hired", _("Hired specialist")


class TaskForceMember(models.Model):
    """A member of the chain master's task force (工作专班)."""

    chain_master = models.ForeignKey(
        ChainMaster, verbose_name=_("chain master"), on_delete=models.CASCADE, related_name="task_force"
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=MemberSource.choices)
    from_enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("seconded from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("task force member")
        verbose_name_plural = _("task force members")
        ordering = ["source", "name"]

    def __str__(self) -> str:
        return self.name


class MeasureKind(models.TextChoices):
    FISCAL = "fiscal", _("Fiscal support")
    LAND = "land", _("Land supply priority")
    PROJECT = "project", _("Project support priority")
    STANDARDS = "standards", _("Standards setting")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class CultivationMeasure(models.Model):
    """A measure of the chain master's cultivation plan (培育计划)."""

    chain_master = models.ForeignKey(
        ChainMaster, verbose_name=_("chain master"), on_delete=models.CASCADE, related_name="measures"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MeasureKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    due_date = models.DateField(_("due date"), null=True, blank=True)

    class Meta:
        verbose_name = _("cultivation measure")
        verbose_name_plural = _("cultivation measures")
        ordering = ["kind", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title
