from datetime import date
from typing import Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from chainparty.scope import ScopedQuerySet

# A young cadre (年轻干部) is at most this old on the day asked (the district's usual line).
YOUNG_CADRE_MAX_AGE = 35


class SourceKind(models.TextChoices):
    """Where cadres are drawn from (§4.5, source §三)."""

    ECONOMIC_DEPARTMENT = "economic_department", _("Economic department")
    INDUSTRY_PARTY_COMMITTEE = "industry_party_committee", _("Industry party committee")
    TOWN_STREET = "town_street", _("Town / street")
    STATE_OWNED_ENTERPRISE = "state_owned_enterprise", _("State-owned enterprise")


def young_cutoff(on: date) -> date:
    """Cadres born after this day are young cadres on `on`."""
    try:
        return on.replace(year=on.year - YOUNG_CADRE_MAX_AGE - 1)
    except ValueError:  # 29 February
        return on.replace(year=on.year - YOUNG_CADRE_MAX_AGE - 1, day=28)


class CadreQuerySet(ScopedQuerySet["Cadre"]):
    def scope(self, user: User) -> Q:
        # The pool is the district's; a cadre sees their own record.
        return Q(user=user)

    def young(self, on: date | None = None) -> Self:
        return self.filter(birth_date__gt=young_cutoff(on or timezone.localdate()))


class Cadre(models.Model):
    """A cadre of the pool (干部库) who may be posted: from an economic department, an industry party
    committee, a town/street or a state-owned enterprise (§4.5). Signs in as `user` once posted."""

    name = models.CharField(_("name"), max_length=50)
    source_kind = models.CharField(_("source"), max_length=30, choices=SourceKind.choices)
    source_unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("source unit"), on_delete=models.PROTECT, related_name="cadres"
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    party_member = models.BooleanField(_("party member"), default=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    # Free tags (生物医药, 财务, 知识产权...); matching compares them with a chain's words.
    expertise = models.JSONField(_("expertise"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cadre",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["name", "source_unit"], name="cadre_unique_name_in_unit")]

    def __str__(self) -> str:
        return self.name

    def is_young(self, on: date | None = None) -> bool:
        return self.birth_date is not None and self.birth_date > young_cutoff(on or timezone.localdate())

    @property
    def masked_phone(self) -> str:
        """The phone as people who need not reach the cadre see it (design §5): 138****5678."""
        phone = self.phone
        if len(phone) < 8:
            return "*" * len(phone)
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]

    def phone_for(self, user) -> str:
        """District staff and the cadre themselves read the number; anyone else the masked one."""
        if getattr(user, "is_district_staff", False) or (self.user_id is not None and self.user_id == user.pk):
            return self.phone
        return self.masked_phone


class PostingKind(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", _("First secretary")
    INSTRUCTOR = "instructor", _("Party-building instructor")
    PARK_CHIEF = "park_chief", _("Park chief")


# The kinds posted to an enterprise; they give it work coverage (§4.3). A park chief goes to a park.
ENTERPRISE_KINDS = (PostingKind.FIRST_SECRETARY, PostingKind.INSTRUCTOR)


class PostingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    EVALUATED = "evaluated", _("Evaluated")


class GoalsMet(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class PostingQuerySet(ScopedQuerySet["Posting"]):
    def active(self, on: date | None = None) -> Self:
        day = on or timezone.localdate()
        return self.filter(status=PostingStatus.ACTIVE, start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )

    def scope(self, user: User) -> Q:
        """A cadre their own postings; anyone else the postings to the enterprises and parks they see
        (a contact its enterprise's, a park chief the park's, a chain leader or unit the chain's)."""
        from chains.models import Enterprise, Park  # chains reads postings' selectors at import time

        scope = Q(cadre__user=user)
        if user.has_role(
            Role.CHAIN_LEADER, Role.UNIT_HANDLER, Role.PARK_CHIEF, Role.FIRST_SECRETARY, Role.ENTERPRISE_CONTACT
        ):
            scope |= Q(enterprise__in=Enterprise.objects.visible_to(user).values("pk"))
        if user.has_role(Role.PARK_CHIEF):
            scope |= Q(park__in=Park.objects.filter(chiefs=user).values("pk"))
        return scope


class Posting(models.Model):
    """A cadre posted (派驻) to an SME as first secretary or party-building instructor, or to a park
    as its chief (§4.5). Life: active → ended (early, by staff) → evaluated, or active → evaluated at
    the end of term (secretaries/workflow.py).

    Not to be confused with an issue's dispatch (派单) to handling units."""

    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="postings")
    kind = models.CharField(_("kind"), max_length=20, choices=PostingKind.choices, default=PostingKind.FIRST_SECRETARY)
    enterprise = models.ForeignKey(
        "chains.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
    )
    park = models.ForeignKey(
        "chains.Park", verbose_name=_("park"), on_delete=models.PROTECT, null=True, blank=True, related_name="postings"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    goals = models.TextField(_("goals"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PostingStatus.choices, default=PostingStatus.ACTIVE)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)
    # End-of-term evaluation (述职评议).
    goals_met = models.CharField(_("goals met"), max_length=10, choices=GoalsMet.choices, blank=True)
    problems_solved = models.PositiveIntegerField(_("problems solved"), null=True, blank=True)
    enterprise_opinion = models.TextField(_("enterprise's opinion"), blank=True)
    evaluation = models.TextField(_("evaluation"), blank=True)
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    notifications = GenericRelation("inbox.Notification", content_type_field="target_type", object_id_field="target_id")

    objects = PostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="posting_end_after_start",
            ),
            # A park chief goes to a park, the other kinds to an enterprise: exactly one target.
            models.CheckConstraint(
                condition=(Q(kind=PostingKind.PARK_CHIEF) & Q(park__isnull=False) & Q(enterprise__isnull=True))
                | (~Q(kind=PostingKind.PARK_CHIEF) & Q(enterprise__isnull=False) & Q(park__isnull=True)),
                name="posting_one_target_by_kind",
            ),
            # One active posting of a kind per enterprise (the service says so first, with a message;
            # this settles two staff posting at once).
            models.UniqueConstraint(
                fields=["enterprise", "kind"],
                condition=Q(status="active") & Q(enterprise__isnull=False),
                name="posting_one_active_kind_per_enterprise",
            ),
        ]
        indexes = [models.Index(fields=["status", "end_date"], name="posting_status_end_idx")]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.target}"

    def get_absolute_url(self) -> str:
        return reverse("secretaries:posting-detail", args=[self.pk])

    @property
    def target(self):
        return self.enterprise if self.enterprise_id else self.park


class WorkLogKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    POLICY_BRIEFING = "policy_briefing", _("Policy briefing")
    GUIDANCE = "guidance", _("Party-building guidance")
    PROBLEM_RAISED = "problem_raised", _("Problem raised")
    PROBLEM_SOLVED = "problem_solved", _("Problem solved")


class WorkLogQuerySet(ScopedQuerySet["WorkLog"]):
    def scope(self, user: User) -> Q:
        return Q(posting__in=Posting.objects.visible_to(user).values("pk"))


class WorkLog(models.Model):
    """What a posted cadre did, on a day (工作纪实), with results such as members developed."""

    posting = models.ForeignKey(Posting, verbose_name=_("posting"), on_delete=models.CASCADE, related_name="work_logs")
    kind = models.CharField(_("kind"), max_length=20, choices=WorkLogKind.choices)
    date = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    members_developed = models.PositiveIntegerField(_("new party members developed"), default=0)
    activists_found = models.PositiveIntegerField(_("activists found"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = WorkLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("work log")
        verbose_name_plural = _("work logs")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["posting", "date"], name="worklog_posting_date_idx")]

    def __str__(self) -> str:
        return f"{self.date} · {self.get_kind_display()}"


class ReminderKind(models.TextChoices):
    DAYS_30 = "days_30", _("30 days before the end")
    DAYS_7 = "days_7", _("7 days before the end")


class PostingReminder(models.Model):
    """One end-of-term reminder sent, per (posting, kind, end date): the sweep's exactly-once key. A
    posting whose end date moves is reminded again for the new date."""

    posting = models.ForeignKey(Posting, verbose_name=_("posting"), on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    end_date = models.DateField(_("end date"))
    sweep = models.UUIDField(_("sweep run"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("posting reminder")
        verbose_name_plural = _("posting reminders")
        constraints = [
            models.UniqueConstraint(fields=["posting", "kind", "end_date"], name="posting_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.posting_id} · {self.kind} · {self.end_date}"
