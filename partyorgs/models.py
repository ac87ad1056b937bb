"""Party organizations (design §4.4): the tree, what each covers, member counts, terms, and the
enterprises' own party-member counts. Coverage (§4.3) is computed from these in
``partyorgs.selectors`` and never stored."""

from datetime import date

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from chainparty.scope import ScopedQuerySet
from chains.models import Chain, Enterprise


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("Party committee (党委)")
    GENERAL_BRANCH = "general_branch", _("General party branch (党总支)")
    BRANCH = "branch", _("Party branch (党支部)")
    JOINT_BRANCH = "joint_branch", _("Joint party branch (联合党支部)")


# Term lengths of §4.4: a committee serves 5 years, a general branch or branch 3.
TERM_YEARS = {
    OrgKind.COMMITTEE: 5,
    OrgKind.GENERAL_BRANCH: 3,
    OrgKind.BRANCH: 3,
    OrgKind.JOINT_BRANCH: 3,
}
# The 2018 branch regulation: a joint branch generally covers no more than 5 units.
JOINT_BRANCH_LIMIT = 5
# A unit with 3 or more formal members sets up its own branch (应建未建 below that is not "should").
SHOULD_ESTABLISH_MEMBERS = 3
# A branch with 7 or more formal members elects a branch committee.
BRANCH_COMMITTEE_MEMBERS = 7
BRANCH_KINDS = (OrgKind.BRANCH, OrgKind.JOINT_BRANCH)


class PartyOrganizationQuerySet(ScopedQuerySet["PartyOrganization"]):
    distinct_scope = True  # through the covered enterprises

    def scope(self, user: User) -> Q:
        # An organization is in scope when it covers an enterprise the user sees: a contact's own
        # enterprise, a chain leader's chains' enterprises, a park chief's park's, a first
        # secretary's posting. A unit handler also sees the organization of their own unit.
        visible = Enterprise.objects.visible_to(user).values("pk")
        scope = Q(pk__in=OrgCoverage.objects.filter(enterprise__in=visible).values("organization_id"))
        if user.has_role(Role.UNIT_HANDLER) and user.unit_id:
            scope |= Q(unit_id=user.unit_id)
        return scope


class PartyOrganization(models.Model):
    """A party organization: a node of the tree (``parent`` is the superior organization).

    It covers either enterprises (its own enterprise; a joint branch several, at most
    ``JOINT_BRANCH_LIMIT``) through ``OrgCoverage``, or a government unit (a department's or an
    industry party committee's own organization), or neither (a committee above others)."""

    name = models.CharField(_("name"), max_length=200, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("superior organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit covered"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organizations",
    )
    enterprises = models.ManyToManyField(
        Enterprise,
        verbose_name=_("enterprises covered"),
        through="OrgCoverage",
        related_name="party_organizations",
        blank=True,
    )
    secretary = models.CharField(_("secretary"), max_length=50, blank=True)
    formal_members = models.PositiveIntegerField(_("formal members"), default=0)
    probationary_members = models.PositiveIntegerField(_("probationary members"), default=0)
    has_branch_committee = models.BooleanField(_("branch committee elected"), default=False)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    term_started_on = models.DateField(_("current term started on"), null=True, blank=True)
    term_ends_on = models.DateField(_("current term ends on"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    notifications = GenericRelation("inbox.Notification", content_type_field="target_type", object_id_field="target_id")

    objects = PartyOrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="party_org_unique_name"),
            models.CheckConstraint(
                condition=Q(probationary_members=0) | Q(formal_members__gt=0),
                name="party_org_probationary_needs_formal",
            ),
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True)
                | Q(term_started_on__isnull=True)
                | Q(term_ends_on__gt=models.F("term_started_on")),
                name="party_org_term_end_after_start",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="party_org_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partyorgs:org-detail", args=[self.pk])

    @property
    def total_members(self) -> int:
        return self.formal_members + self.probationary_members

    @property
    def needs_branch_committee(self) -> bool:
        return (
            self.kind in BRANCH_KINDS
            and self.formal_members >= BRANCH_COMMITTEE_MEMBERS
            and not self.has_branch_committee
        )

    def term_lapsed(self, today: date) -> bool:
        return self.term_ends_on is not None and self.term_ends_on <= today


class OrgCoverage(models.Model):
    """An enterprise covered by an organization (its own, or a joint branch it belongs to)."""

    organization = models.ForeignKey(
        PartyOrganization, verbose_name=_("party organization"), on_delete=models.CASCADE, related_name="coverages"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="party_coverages"
    )

    class Meta:
        verbose_name = _("enterprise covered")
        verbose_name_plural = _("enterprises covered")
        constraints = [
            models.UniqueConstraint(fields=["organization", "enterprise"], name="org_coverage_unique"),
        ]
        # Coverage asks "has this enterprise any organization?" for every enterprise.
        indexes = [models.Index(fields=["enterprise", "organization"], name="org_coverage_enterprise_idx")]

    def __str__(self) -> str:
        return f"{self.organization} ⊃ {self.enterprise}"


class EnterprisePartyProfile(models.Model):
    """The party members working in an enterprise, whether or not it has an organization: what the
    应建未建 rule reads (≥3 formal members and no organization). Kept here, not on the enterprise,
    because it is party-building data."""

    enterprise = models.OneToOneField(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="party_profile"
    )
    formal_members = models.PositiveIntegerField(_("formal members"), default=0)
    probationary_members = models.PositiveIntegerField(_("probationary members"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise party members")
        verbose_name_plural = _("enterprise party members")
        constraints = [
            models.CheckConstraint(
                condition=Q(probationary_members=0) | Q(formal_members__gt=0),
                name="party_profile_probationary_needs_formal",
            ),
        ]
        indexes = [models.Index(fields=["formal_members"], name="party_profile_formal_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.formal_members} + {self.probationary_members}"


class ReminderKind(models.TextChoices):
    SIX_MONTHS = "six_months", _("Term ends in 6 months")
    THREE_MONTHS = "three_months", _("Term ends in 3 months")
    LAPSED = "lapsed", _("Term has lapsed")


class TermReminder(models.Model):
    """换届提醒 sent, one row per (organization, kind, term, period): the sweep's exactly-once key.

    ``term_ends_on`` names the term (a renewed term has a new end and gets its own reminders);
    ``period`` is the term end for the 6- and 3-month reminders and the first day of the month for
    the monthly reminder once the term has lapsed."""

    organization = models.ForeignKey(
        PartyOrganization, verbose_name=_("party organization"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    term_ends_on = models.DateField(_("term ends on"))
    period = models.DateField(_("period"))
    sweep = models.UUIDField(_("sweep"), db_index=True)
    created_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("term reminder")
        verbose_name_plural = _("term reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "term_ends_on", "period"], name="term_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_kind_display()} · {self.period}"


# --- 三会一课 ----------------------------------------------------------------------------------
class MeetingKind(models.TextChoices):
    MEMBER_MEETING = "member_meeting", _("Party member meeting (党员大会)")
    COMMITTEE_MEETING = "committee_meeting", _("Committee meeting (支委会)")
    GROUP_MEETING = "group_meeting", _("Party group meeting (党小组会)")
    PARTY_LECTURE = "party_lecture", _("Party lecture (党课)")
    THEME_DAY = "theme_day", _("Theme party day (主题党日)")


# How often each is due, in months (§4.4): member meetings quarterly, committee and party-group
# meetings monthly, theme party days monthly; party lectures as the district sets it — quarterly here.
MEETING_EVERY_MONTHS = {
    MeetingKind.MEMBER_MEETING: 3,
    MeetingKind.COMMITTEE_MEETING: 1,
    MeetingKind.GROUP_MEETING: 1,
    MeetingKind.PARTY_LECTURE: 3,
    MeetingKind.THEME_DAY: 1,
}
# Committee and party-group meetings are due only where there is a committee (a committee, a general
# branch, or a branch that elected its branch committee): a small branch has neither.
COMMITTEE_ONLY = (MeetingKind.COMMITTEE_MEETING, MeetingKind.GROUP_MEETING)


class OrgMeetingQuerySet(ScopedQuerySet["OrgMeeting"]):
    def scope(self, user: User) -> Q:
        return Q(organization__in=PartyOrganization.objects.visible_to(user).values("pk"))


class OrgMeeting(models.Model):
    """A recorded meeting of 三会一课 (member meeting, committee meeting, party-group meeting, party
    lecture) or a theme party day."""

    organization = models.ForeignKey(
        PartyOrganization, verbose_name=_("party organization"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    attendance = models.PositiveIntegerField(_("attendance"))
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = OrgMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization meeting")
        verbose_name_plural = _("organization meetings")
        ordering = ["-held_on", "-pk"]
        # Compliance reads the meetings of a period per organization.
        indexes = [models.Index(fields=["held_on", "organization"], name="org_meeting_period_idx")]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_kind_display()} · {self.held_on}"


# --- 红联共建 -----------------------------------------------------------------------------------
class Programme(models.TextChoices):
    TRAINING = "training", _("红领精英 (shared training)")
    TALENT = "talent", _("红创人才 (talent services)")
    INNOVATION = "innovation", _("红联众创 (research-to-market)")


class PairingQuerySet(ScopedQuerySet["Pairing"]):
    def scope(self, user: User) -> Q:
        # Either side's people: the enterprise organization's (contacts, the chain's leaders, the
        # park's chief) and the department organization's (its unit's handlers).
        visible = PartyOrganization.objects.visible_to(user).values("pk")
        return Q(enterprise_org__in=visible) | Q(department_org__in=visible)


class Pairing(models.Model):
    """红联共建: a department party organization paired with an enterprise party organization on a chain."""

    department_org = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("department party organization"),
        on_delete=models.PROTECT,
        related_name="pairings_as_department",
    )
    enterprise_org = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("enterprise party organization"),
        on_delete=models.PROTECT,
        related_name="pairings_as_enterprise",
    )
    chain = models.ForeignKey(
        "chains.Chain", verbose_name=_("chain"), on_delete=models.PROTECT, related_name="pairings"
    )
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"), null=True, blank=True)
    goals = models.TextField(_("goals"))
    department_contact = models.CharField(_("department contact"), max_length=50, blank=True)
    enterprise_contact = models.CharField(_("enterprise contact"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("co-construction pairing")
        verbose_name_plural = _("co-construction pairings")
        ordering = ["-start_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["department_org", "enterprise_org", "chain"], name="pairing_unique"),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gt=models.F("start_on")), name="pairing_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department_org} ⇄ {self.enterprise_org}"

    def get_absolute_url(self) -> str:
        return reverse("partyorgs:pairing-detail", args=[self.pk])

    def active_on(self, day: date) -> bool:
        return self.start_on <= day and (self.end_on is None or self.end_on >= day)


class PairingActivity(models.Model):
    """An activity of a pairing under one of the three programmes, with its outcome."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="activities")
    programme = models.CharField(_("programme"), max_length=12, choices=Programme.choices)
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pairing activity")
        verbose_name_plural = _("pairing activities")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


# --- the chain master's annual party plan (年度党建工作规划, 一体考核) --------------------------------
class PartyPlanQuerySet(ScopedQuerySet["AnnualPartyPlan"]):
    def scope(self, user: User) -> Q:
        # The chain master's organization's own people (its contacts, the park chief of its park, ...),
        # and the chain's leaders and units, who steer the chain. Not every contact on the chain.
        scope = Q(organization__in=PartyOrganization.objects.visible_to(user).values("pk"))
        if user.has_role(Role.CHAIN_LEADER, Role.UNIT_HANDLER):
            scope |= Q(chain__in=plan_chains(user))
        return scope


def plan_chains(user: User) -> QuerySet[Chain]:
    """The chains whose plans a chain leader or unit handler sees: those they lead or work for."""
    scope = Q(pk__in=[])
    if user.has_role(Role.CHAIN_LEADER):
        scope |= Q(leaderships__user=user)
    if user.has_role(Role.UNIT_HANDLER) and user.unit_id:
        scope |= Q(lead_unit_id=user.unit_id) | Q(industry_committee_id=user.unit_id)
        scope |= Q(cooperating_units__id=user.unit_id)
    return Chain.objects.filter(scope).values("pk")


class AnnualPartyPlan(models.Model):
    """The chain master's party organization's party-building plan for a year, with targets that are
    scored at year end and stand beside the chain's business targets for that year (一体考核)."""

    chain = models.ForeignKey(Chain, verbose_name=_("chain"), on_delete=models.PROTECT, related_name="party_plans")
    organization = models.ForeignKey(
        PartyOrganization, verbose_name=_("party organization"), on_delete=models.PROTECT, related_name="party_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    business_targets = models.TextField(_("the chain's business targets for the year"), blank=True)
    business_score = models.DecimalField(_("business score"), max_digits=5, decimal_places=1, null=True, blank=True)
    filed_on = models.DateField(_("filed on"))
    scored_on = models.DateField(_("scored on"), null=True, blank=True)
    filed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = PartyPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual party-building plan")
        verbose_name_plural = _("annual party-building plans")
        ordering = ["-year", "chain__name"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "year"], name="party_plan_one_per_chain_year"),
            models.CheckConstraint(
                condition=Q(business_score__isnull=True) | Q(business_score__gte=0, business_score__lte=100),
                name="party_plan_business_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chain} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("partyorgs:plan-detail", args=[self.pk])


class PlanTarget(models.Model):
    """A target of a plan, with its weight (the weights of a plan add up to 100) and, at year end, its score."""

    plan = models.ForeignKey(AnnualPartyPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    description = models.CharField(_("target"), max_length=300)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=1)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="plan_target_weight_positive"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=models.F("weight"))),
                name="plan_target_score_within_weight",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class PlanDeadline(models.Model):
    """The day by which the year's plans must be filed, as the district sets it; later, a missing
    plan is flagged."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    due_on = models.DateField(_("due on"))

    class Meta:
        verbose_name = _("party-plan deadline")
        verbose_name_plural = _("party-plan deadlines")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.due_on}"
