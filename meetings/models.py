"""Quarterly chain meetings (专题会议制度, design §4.7): every quarter, for each chain on the
industry-committee path, one record for the special party-building meeting held together with the
chain's strategic consulting meeting and the party-building joint meeting (each kind marked), its
invitees, its agenda built from the chain's issues, its minutes (attendance, what was discussed per
item, decisions) and the reminders sent about it, each once.

The life of a meeting (planned, rescheduled, held, minuted, cancelled) is the transition table in
meetings/workflow.py; every write is a service in meetings/services.py."""

from typing import Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from accounts.roles import Role
from chainparty.scope import ScopedQuerySet
from chains.models import ChainLeadership


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RESCHEDULED = "rescheduled", _("Rescheduled")
    HELD = "held", _("Held, minutes pending")
    MINUTED = "minuted", _("Minuted")
    CANCELLED = "cancelled", _("Cancelled")


# Not yet held: the agenda is refreshed, invitees are reminded, the date can move.
UPCOMING = (Status.PLANNED, Status.RESCHEDULED)
# Taken place: minutes, discussions and decisions can be recorded.
TAKEN_PLACE = (Status.HELD, Status.MINUTED)


class Kind(models.TextChoices):
    """The three meetings held together each quarter (§4.7); a record marks which it combines."""

    SPECIAL = "special", _("Special party-building meeting (专题会议)")
    STRATEGIC = "strategic", _("Strategic consulting meeting (战略咨询会议)")
    JOINT = "joint", _("Party-building joint meeting (党建工作联席会议)")


KIND_FIELDS = {Kind.SPECIAL: "is_special", Kind.STRATEGIC: "is_strategic", Kind.JOINT: "is_joint"}


class MeetingQuerySet(ScopedQuerySet["Meeting"]):
    def scope(self, user: User) -> Q:
        """District staff all (they organise them); a chain leader their chains' meetings; a unit
        handler the meetings their unit is invited to. Enterprises, first secretaries and park chiefs
        none: these are the government's working meetings."""
        scope = Q(pk__in=[])
        if user.has_role(Role.CHAIN_LEADER):
            scope |= Q(chain_id__in=ChainLeadership.objects.filter(user=user).values("chain_id"))
        if user.has_role(Role.UNIT_HANDLER) and user.unit_id:
            scope |= Q(pk__in=MeetingInvitee.objects.filter(unit_id=user.unit_id).values("meeting_id"))
        return scope

    def upcoming(self) -> Self:
        return self.filter(status__in=UPCOMING)

    def of_kind(self, kind: str) -> Self:
        return self.filter(**{KIND_FIELDS[Kind(kind)]: True})


class Meeting(models.Model):
    chain = models.ForeignKey("chains.Chain", verbose_name=_("chain"), on_delete=models.PROTECT, related_name="+")
    quarter = models.CharField(_("quarter"), max_length=6, help_text=_("e.g. 2027Q1"))
    title = models.CharField(_("title"), max_length=200)
    is_special = models.BooleanField(_("special party-building meeting"), default=True)
    is_strategic = models.BooleanField(_("strategic consulting meeting"), default=True)
    is_joint = models.BooleanField(_("party-building joint meeting"), default=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    place = models.CharField(_("place"), max_length=200, blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Told when the minutes are missing; without one, district staff are."),
    )
    # The reminders' instants, computed on the working-day calendar whenever the date is set; the
    # reminder sweep then compares columns with "now". A new date is a new version: its reminders
    # are due again (MeetingReminder is unique per meeting, kind and version).
    remind_at = models.DateTimeField(_("remind at"), null=True, blank=True, editable=False)
    minutes_due_at = models.DateTimeField(_("minutes due at"), null=True, blank=True, editable=False)
    schedule_version = models.PositiveSmallIntegerField(_("schedule version"), default=1, editable=False)
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    summary = models.TextField(pgettext_lazy("meeting record", "minutes"), blank=True, max_length=20_000)
    minutes_recorded_at = models.DateTimeField(_("minutes recorded"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    agenda_frozen_at = models.DateTimeField(_("agenda frozen"), null=True, blank=True)
    # The scheduler run that created it (None: created by hand); its invitations go to these rows only.
    run = models.UUIDField(_("scheduling run"), null=True, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    notifications = GenericRelation("inbox.Notification", content_type_field="target_type", object_id_field="target_id")

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("chain meeting")
        verbose_name_plural = _("chain meetings")
        ordering = ["-starts_at", "chain_id"]
        constraints = [
            # One quarterly meeting per chain (§4.7): the scheduler's ON CONFLICT target.
            models.UniqueConstraint(fields=["chain", "quarter"], name="meeting_once_per_chain_quarter"),
        ]
        indexes = [
            models.Index(fields=["status", "remind_at"], name="meeting_status_remind"),
            models.Index(fields=["status", "minutes_due_at"], name="meeting_status_minutes_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting-detail", args=[self.pk])

    @property
    def kinds(self) -> list[str]:
        return [str(kind) for kind, field in KIND_FIELDS.items() if getattr(self, field)]

    @property
    def kind_labels(self) -> list[str]:
        return [str(Kind(kind).label) for kind in self.kinds]


class InviteeRole(models.TextChoices):
    LEADER = "leader", _("Chain leader")
    LEAD_UNIT = "lead_unit", _("Lead unit")
    COOPERATING_UNIT = "cooperating_unit", _("Cooperating unit")
    INDUSTRY_COMMITTEE = "industry_committee", _("Industry party committee")


class MeetingInvitee(models.Model):
    """Who is invited: a chain leader (a person) or a unit (its handlers are told)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitees")
    role = models.CharField(_("role"), max_length=20, choices=InviteeRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, null=True, related_name="+"
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(unit__isnull=False), name="invitee_is_person_or_unit"
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="invitee_person_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "unit"], condition=Q(unit__isnull=False), name="invitee_unit_once"
            ),
        ]
        indexes = [models.Index(fields=["unit", "meeting"], name="invitee_unit_meeting")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.user or self.unit}"


class AgendaReason(models.TextChoices):
    """Why an item is on the agenda (an issue may have several reasons)."""

    REACHED_LEADER = "reached_leader", _("Escalated to the chain leader")
    ESCALATED = "escalated", _("Escalated")
    OVERDUE = "overdue", _("Past its deadline")
    JOINT_OPEN = "joint_open", _("Joint handling still open")
    UNSATISFIED = "unsatisfied", _("Rated unsatisfied")
    ADDED = "added", _("Added by hand")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    issue = models.ForeignKey(
        "issues.Issue", verbose_name=_("issue"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("item"), max_length=200)
    # AgendaReason values; the automatic ones are recomputed until the meeting is held.
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    discussion = models.TextField(_("what was discussed"), blank=True, max_length=10_000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "issue"], condition=Q(issue__isnull=False), name="agenda_issue_once"
            ),
        ]
        # A meeting's agenda in order, a page at a time: without it PostgreSQL walks the primary key
        # of every meeting's items to find one meeting's first 50 (bench_meetings: 224 ms → <1 ms).
        indexes = [models.Index(fields=["meeting", "id"], name="agenda_meeting_order")]

    def __str__(self) -> str:
        return self.title

    @property
    def manual(self) -> bool:
        return self.added_by_id is not None or AgendaReason.ADDED in self.reasons

    @property
    def reason_labels(self) -> list[str]:
        return [str(AgendaReason(code).label) for code in self.reasons if code in AgendaReason.values]


class Attendance(models.Model):
    """Who came, for which unit."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    unit_name = models.CharField(_("unit"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit_name})" if self.unit_name else self.name


class Decision(models.Model):
    """A decision of the minutes. A follow-up for a unit with a deadline becomes a supervised issue
    in the issue workflow (`follow_up_issue`, linked back here); or it updates an existing issue
    (`updated_issue`, a note on its timeline)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    text = models.TextField(_("decision"), max_length=5000)
    follow_up_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("follow-up unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_issue = models.OneToOneField(
        "issues.Issue",
        verbose_name=_("follow-up issue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_issue = models.ForeignKey(
        "issues.Issue",
        verbose_name=_("issue updated"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["pk"]
        indexes = [models.Index(fields=["meeting", "id"], name="decision_meeting_order")]

    def __str__(self) -> str:
        return self.text[:60]


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Meeting reminder")
    MINUTES_MISSING = "minutes_missing", _("Minutes missing")


class MeetingReminder(models.Model):
    """What the reminder sweep did, once: unique per meeting, kind and schedule version."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    version = models.PositiveSmallIntegerField(_("schedule version"))
    due_at = models.DateTimeField(_("due at"))
    run = models.UUIDField(_("sweep run"), db_index=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("meeting reminder")
        verbose_name_plural = _("meeting reminders")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind", "version"], name="meeting_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} · {self.kind} · {self.version}"


class CalendarFeed(models.Model):
    """A person's iCalendar feed: the secret token in its URL is the only credential (calendar
    programs send no cookies). Revoking it makes the URL a 404; a new feed has a new token."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="calendar_feed_one_live_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"
