"""Issue tickets (问题诉求): 吐槽 intake → 转办/会办 → 办结 → 评价 (design §4.6).

Deadlines are stored as instants, computed on the working-day calendar when the issue enters a
state; the sweep then only compares columns with "now", set-based, so it does not slow down with
the number of issues. The workflow (which action moves which state) lives in issues/workflow.py.
"""

from datetime import datetime
from typing import Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from accounts.roles import Role
from chainparty.scope import ScopedQuerySet
from chains.models import Chain, Enterprise


class CategoryKind(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    REQUEST = "request", _("Request")
    SUGGESTION = "suggestion", _("Suggestion")
    COMPLAINT = "complaint", _("Complaint")


# Working days to resolve, by kind, after the Guangdong 12345 rules (§4.6); editable per category.
DEFAULT_RESOLVE_DAYS = {
    CategoryKind.INQUIRY: 2,
    CategoryKind.REQUEST: 10,
    CategoryKind.SUGGESTION: 10,
    CategoryKind.COMPLAINT: 15,
}


class IssueCategory(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=12, choices=CategoryKind.choices)
    accept_days = models.PositiveSmallIntegerField(_("working days to accept"), default=1)
    sign_days = models.PositiveSmallIntegerField(_("working days to sign for"), default=1)
    resolve_days = models.PositiveSmallIntegerField(_("working days to resolve"))
    rate_days = models.PositiveSmallIntegerField(_("working days to rate"), default=5)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("issue category")
        verbose_name_plural = _("issue categories")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Category × chain → the unit suggested as lead; a person confirms (§4.6). A rule without a
    chain applies to every chain that has no rule of its own for the category."""

    category = models.ForeignKey(
        IssueCategory, verbose_name=_("category"), on_delete=models.CASCADE, related_name="routing_rules"
    )
    chain = models.ForeignKey(
        "chains.Chain", verbose_name=_("chain"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("suggested lead unit"), on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "chain"], name="routing_rule_unique"),
            models.UniqueConstraint(
                fields=["category"], condition=Q(chain__isnull=True), name="routing_rule_unique_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.chain or '*'} → {self.unit}"


class ComplaintSessionQuerySet(ScopedQuerySet["ComplaintSession"]):
    def scope(self, user: User) -> Q:
        """District staff all; a unit handler those its unit hosts or is the industry party committee
        of, those on chains its unit leads or cooperates on, and those whose issues were dispatched to
        it. Nobody else."""
        if not (user.has_role(Role.UNIT_HANDLER) and user.unit_id):
            return Q(pk__in=[])
        unit = user.unit_id
        cooperating = Chain.cooperating_units.through.objects.filter(unit_id=unit).values("chain_id")
        dispatched = IssueShare.objects.filter(unit_id=unit, issue__session__isnull=False).values("issue__session_id")
        return (
            Q(host_unit_id=unit)
            | Q(industry_committee_id=unit)
            | Q(chain__lead_unit_id=unit)
            | Q(chain_id__in=cooperating)
            | Q(pk__in=dispatched)
        )


class ComplaintSession(models.Model):
    """吐槽大会: a collection event where enterprises raise problems."""

    title = models.CharField(_("title"), max_length=200)
    chain = models.ForeignKey(
        "chains.Chain", verbose_name=_("chain"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    industry_committee = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("industry party committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    host_unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("host unit"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ComplaintSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint session")
        verbose_name_plural = _("complaint sessions")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(chain__isnull=False) | Q(industry_committee__isnull=False),
                name="complaint_session_has_chain_or_committee",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


HANDLING_STATUSES = (Status.DISPATCHED, Status.IN_PROGRESS)
OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.RESOLVED)


class DispatchMode(models.TextChoices):
    TRANSFER = "transfer", _("Transfer (转办)")
    JOINT = "joint", _("Joint handling (会办)")


def overdue_q(at, *, prefix: str = "") -> Q:
    """Overdue, the one definition: still being handled past the resolve deadline, at `at`.
    `prefix` reaches the issue through a relation ("issue__" from a share)."""
    return Q(**{f"{prefix}status__in": HANDLING_STATUSES, f"{prefix}resolve_due_at__lt": at})


class IssueQuerySet(ScopedQuerySet["Issue"]):
    def open(self) -> Self:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, at: datetime) -> Self:
        return self.filter(overdue_q(at))

    def not_overdue(self, at: datetime) -> Self:
        return self.exclude(overdue_q(at))

    def with_overdue(self, at: datetime) -> Self:
        """Each issue's `is_overdue` at `at`, for pages to show (never NULL: no deadline is not overdue)."""
        return self.annotate(
            is_overdue=Case(When(overdue_q(at), then=Value(True)), default=Value(False), output_field=BooleanField())
        )

    def scope(self, user: User) -> Q:
        """Scope (design §5): staff everything; a unit the issues dispatched to it (lead or co-unit);
        a chain leader their chains' issues; a park chief their parks'; a first secretary the
        enterprises they are posted to; an enterprise its own."""
        scope = Q(pk__in=[])
        for clause, _ids in self._scope_sets(user):
            scope |= clause
        return scope

    def scope_ids(self, user: User) -> QuerySet | None:
        return self.scope_with_ids(user)[1]

    def scope_with_ids(self, user: User) -> tuple[Q, QuerySet | None]:
        # The roles' sets built once for both (visible_to asks for both on every list).
        scope, sets = Q(pk__in=[]), []
        for clause, ids in self._scope_sets(user):
            scope |= clause
            sets.append(ids)
        # The list's count: the UNION of the roles' sets (an index-only scan of the unit's shares,
        # issue_escalated_lead for the committee's), not the OR on each of the table's rows.
        if not sets:
            return scope, None
        return scope, (sets[0].union(*sets[1:]) if len(sets) > 1 else sets[0])

    def _scope_sets(self, user: User) -> list[tuple[Q, QuerySet]]:
        """Each role's clause, with the ids it admits. No clause joins: the page's plan walks the
        created_at index and checks each row against hashed subqueries."""
        sets: list[tuple[Q, QuerySet]] = []

        def add(clause: Q, ids: QuerySet | None = None) -> None:
            if ids is None:
                ids = self.model._default_manager.filter(clause).order_by().values("pk")
            sets.append((clause, ids))

        if user.has_role(Role.UNIT_HANDLER) and user.unit_id:
            live = IssueShare.objects.filter(unit_id=user.unit_id, status__in=LIVE_SHARES).values("issue_id")
            add(Q(pk__in=live), live)
            # The level-1 rung: the lead unit's industry party committee sees what escalated to it.
            committee_units = Unit.objects.filter(industry_committee_id=user.unit_id).values("pk")
            add(Q(escalation_level__gte=1, lead_unit_id__in=committee_units))
        if user.has_role(Role.CHAIN_LEADER):
            add(Q(chain__in=Chain.objects.filter(leaderships__user=user).values("pk")))
        if user.has_role(Role.PARK_CHIEF, Role.FIRST_SECRETARY, Role.ENTERPRISE_CONTACT):
            add(Q(enterprise__in=Enterprise.objects.visible_to(user).values("pk")))
        return sets


class Issue(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, null=True, editable=False)
    enterprise = models.ForeignKey(
        "chains.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="issues"
    )
    chain = models.ForeignKey(
        "chains.Chain", verbose_name=_("chain"), on_delete=models.PROTECT, null=True, blank=True, related_name="issues"
    )
    category = models.ForeignKey(IssueCategory, verbose_name=_("category"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10_000)
    session = models.ForeignKey(
        ComplaintSession,
        verbose_name=_("complaint session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, null=True, blank=True, editable=False)
    # A digest of what was submitted with the key: a retry must send the same (issues.services.intake).
    idempotency_fingerprint = models.CharField(_("idempotency fingerprint"), max_length=64, blank=True, editable=False)

    dispatch_mode = models.CharField(_("dispatch mode"), max_length=8, choices=DispatchMode.choices, blank=True)
    lead_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues_led",
    )
    answer = models.TextField(_("answer"), blank=True)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)

    # Deadlines (instants), each set when its clock starts; warnings one working day before.
    accept_due_at = models.DateTimeField(_("accept by"), null=True, blank=True)
    sign_due_at = models.DateTimeField(_("sign for by"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("resolve by"), null=True, blank=True)
    rate_due_at = models.DateTimeField(_("rate by"), null=True, blank=True)
    accept_warn_at = models.DateTimeField(_("accept warning at"), null=True, blank=True, editable=False)
    sign_warn_at = models.DateTimeField(_("sign-for warning at"), null=True, blank=True, editable=False)
    resolve_warn_at = models.DateTimeField(_("resolve warning at"), null=True, blank=True, editable=False)
    # The escalation ladder's rungs, computed with the resolve deadline (§4.6): 1 at the breach,
    # 2 two working days later, 3 five working days after that.
    escalate_2_at = models.DateTimeField(_("escalation to the chain leader at"), null=True, blank=True, editable=False)
    escalate_3_at = models.DateTimeField(
        _("escalation to the district committee at"), null=True, blank=True, editable=False
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    supervised_at = models.DateTimeField(_("supervised at"), null=True, blank=True)

    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # Each dispatch and each reopening starts a new handling cycle, with its own deadlines, warnings
    # and escalation ladder (IssueAlert is unique per issue, kind and cycle).
    handling_cycle = models.PositiveSmallIntegerField(_("handling cycle"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)  # indexed with id (Meta)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Not a column: the inbox's notifications about this issue, deleted with it.
    notifications = GenericRelation("inbox.Notification", content_type_field="target_type", object_id_field="target_id")

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="issue_idempotency_key_unique",
            ),
            models.CheckConstraint(condition=Q(escalation_level__lte=3), name="issue_escalation_level_max"),
        ]
        indexes = [
            # The sweep's scans: open issues by each deadline.
            models.Index(fields=["status", "resolve_due_at"], name="issue_status_resolve_due"),
            models.Index(fields=["status", "accept_due_at"], name="issue_status_accept_due"),
            models.Index(fields=["status", "rate_due_at"], name="issue_status_rate_due"),
            models.Index(fields=["lead_unit", "status"], name="issue_lead_unit_status"),
            # The list's order and its keyset pages (created_at, id) < (…): every list walks it.
            models.Index(fields=["created_at", "id"], name="issue_created_id"),
            # An industry party committee's list and count: the escalated issues of its units
            # (IssueQuerySet._scope_sets), a few percent of the table.
            models.Index(fields=["lead_unit"], condition=Q(escalation_level__gte=1), name="issue_escalated_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.number or '—'} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("issues:issue-detail", args=[self.pk])


class ShareRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    CO = "co", _("Co-handling unit")


class ShareStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting signature")
    SIGNED = "signed", _("Signed for")
    REPLIED = "replied", _("Replied")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


# A share still in play: it gives its unit sight of the issue and a say in it. Returned and
# cancelled shares are history.
LIVE_SHARES = (ShareStatus.PENDING, ShareStatus.SIGNED, ShareStatus.REPLIED)


class IssueShare(models.Model):
    """A unit's share of an issue: the lead unit's, and in joint handling each co-unit's part."""

    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="shares")
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=4, choices=ShareRole.choices)
    status = models.CharField(_("status"), max_length=10, choices=ShareStatus.choices, default=ShareStatus.PENDING)
    # This share's own sign-for deadline (the issue's moves on when it is dispatched again); the
    # unit's response rate is judged against it.
    sign_due_at = models.DateTimeField(_("sign for by"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        constraints = [
            # One live share per unit and issue; cancelled/returned rows are history.
            models.UniqueConstraint(
                fields=["issue", "unit"],
                condition=Q(status__in=LIVE_SHARES),
                name="share_one_live_per_unit",
            ),
        ]
        indexes = [
            # A unit's live shares, index-only with the issue included: the issue list's scope and its
            # count (IssueQuerySet._scope_sets), the queue, the unit filter.
            models.Index(fields=["unit", "status"], include=["issue"], name="share_unit_status_issue"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_role_display()} · {self.get_status_display()}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    DENIED = "denied", _("Denied")
    # Lapsed undecided: the lead unit answered the issue, ending the handling cycle it was asked for.
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ExtensionRequest(models.Model):
    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="extension_requests"
    )
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    days = models.PositiveSmallIntegerField(_("extra working days"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=9, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["issue"], condition=Q(status="pending"), name="extension_one_pending_per_issue"
            )
        ]

    def __str__(self) -> str:
        return f"+{self.days} · {self.get_status_display()}"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class ReasonCode(models.TextChoices):
    """Why the enterprise is not (fully) satisfied; a rating keeps the codes (`Rating.reason_codes`)."""

    NOT_SOLVED = "not_solved", _("Problem not solved")
    SLOW = "slow", _("Not handled in time")
    ATTITUDE = "attitude", _("Poor service attitude")
    UNCLEAR = "unclear", _("Unclear answer")
    OTHER = "other", _("Other reason")


class Rating(models.Model):
    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="ratings")
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rated by"), on_delete=models.PROTECT, related_name="+"
    )
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices)
    reason_codes = models.JSONField(_("reasons"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return self.get_satisfaction_display()


class IssueEvent(models.Model):
    """The append-only timeline: every transition, comment, reassignment and escalation."""

    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=24)
    from_status = models.CharField(_("from status"), max_length=12, blank=True)
    to_status = models.CharField(_("to status"), max_length=12, blank=True)
    note = models.TextField(_("note"), blank=True)
    public = models.BooleanField(_("visible to the enterprise"), default=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    # When it happened: now, or the instant a service was told it happened (`at`, e.g. a back-dated
    # entry of a complaint session), so the timeline reads in order.
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("issue event")
        verbose_name_plural = _("issue events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["issue", "created_at"], name="event_issue_created")]

    def __str__(self) -> str:
        return f"{self.issue_id} · {self.action}"


class AlertKind(models.TextChoices):
    WARN_ACCEPT = "warn_accept", _("Accept deadline near")
    WARN_SIGN = "warn_sign", _("Sign-for deadline near")
    WARN_RESOLVE = "warn_resolve", _("Resolve deadline near")
    ESCALATE_1 = "escalate_1", _("Escalated to the industry party committee")
    ESCALATE_2 = "escalate_2", _("Escalated to the chain leader")
    ESCALATE_3 = "escalate_3", _("Escalated to the district committee")
    CLOSE_UNRATED = "close_unrated", _("Closed without rating")


class IssueAlert(models.Model):
    """What the sweep did, once: the unique constraint makes each warning and escalation level
    happen exactly once per issue and handling cycle, even when two sweeps race (§4.6)."""

    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=16, choices=AlertKind.choices)
    cycle = models.PositiveSmallIntegerField(_("handling cycle"), default=0)  # the issue's handling_cycle at the time
    due_at = models.DateTimeField(_("due at"))
    sweep = models.UUIDField(_("sweep run"), db_index=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("issue alert")
        verbose_name_plural = _("issue alerts")
        constraints = [models.UniqueConstraint(fields=["issue", "kind", "cycle"], name="alert_once_per_cycle")]

    def __str__(self) -> str:
        return f"{self.issue_id} · {self.kind} · {self.cycle}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"issues/{instance.issue_id}/{instance.stored_name}"


class Attachment(models.Model):
    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("original name"), max_length=200)
    stored_name = models.CharField(_("stored name"), max_length=120)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Overseer(models.TextChoices):
    """Who oversees an issue when its ladder reaches them (design §4.6), and the lead unit urging its
    co-units: the rung a supervision or an urge came from."""

    DISTRICT = "district", _("District committee")
    COMMITTEE = "committee", _("Industry party committee")
    CHAIN_LEADER = "chain_leader", _("Chain leader")
    PARK_CHIEF = "park_chief", _("Park chief")
    LEAD_UNIT = "lead_unit", _("Lead unit")


class SupervisionQuerySet(models.QuerySet["Supervision"]):
    def pending(self) -> Self:
        return self.filter(replied_at__isnull=True)

    def overdue(self, today) -> Self:
        """Unanswered after the reply-by day (`today` a date in Asia/Shanghai)."""
        return self.pending().filter(reply_by__lt=today)


class Supervision(models.Model):
    """督办: someone the escalation ladder has reached instructs the lead unit, which answers by a
    day. The lead unit's answer is recorded on the row (and in the timeline); an unanswered one past
    its day is overdue for everyone who oversees the issue to see."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="supervisions")
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="+")
    by = models.CharField(_("supervised by"), max_length=12, choices=Overseer.choices)
    supervised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    instruction = models.TextField(_("instruction"))
    reply_by = models.DateField(_("reply by"))
    report = models.BooleanField(_("reported in the district circular"), default=False)
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        ordering = ["created_at", "pk"]
        indexes = [
            # The queues' "waiting for an answer" subqueries: an issue's unanswered supervisions.
            models.Index(fields=["issue"], condition=Q(replied_at__isnull=True), name="supervision_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} · {self.get_by_display()} · {self.reply_by}"


class Urge(models.Model):
    """催办: a reminder to a unit about an issue, recorded and counted per unit (its KPIs)."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="urges")
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    by = models.CharField(_("urged by"), max_length=12, choices=Overseer.choices)
    urged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("urge")
        verbose_name_plural = _("urges")
        ordering = ["created_at", "pk"]
        indexes = [
            # The KPIs count a unit's urges in a period; the issue page counts an issue's per unit.
            models.Index(fields=["unit", "created_at"], name="urge_unit_created"),
            models.Index(fields=["issue", "unit"], name="urge_issue_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.unit_id}"


def staged_path(instance: "StagedUpload", filename: str) -> str:
    return f"issues/staged/{instance.owner_id}/{instance.stored_name}"


class StagedUpload(models.Model):
    """A file sent with a submission that was refused (another field was wrong), kept so the person
    need not choose it again: tied to its uploader and to the form's token, shown by name on the form
    that comes back, attached by the submission that succeeds, deleted a day later
    (issues.services.uploads: STAGED_KEEP, purge_staged_uploads). Nobody but the uploader sees it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    file = models.FileField(upload_to=staged_path, max_length=300)
    original_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # The purge reads the oldest first (created_at), the form its owner's token's files.
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("staged upload")
        verbose_name_plural = _("staged uploads")
        indexes = [models.Index(fields=["owner", "token"], name="staged_upload_owner_token")]

    def __str__(self) -> str:
        return self.original_name
