"""The models of the shared plumbing: a background job (an Excel import or export) and its progress,
which the job's page polls; and the counters of the request throttles (chainparty.throttle). Rules live
in chainparty.jobs and chainparty.throttle; these are only the records."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chainparty.scope import ScopedQuerySet, in_business_scope

if TYPE_CHECKING:
    from accounts.models import AnyUser, User


class JobKind(models.TextChoices):
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class JobPhase(models.TextChoices):
    READING = "reading", _("Reading the file")
    CHECKING = "checking", _("Checking the rows")
    WRITING = "writing", _("Writing")


class JobQuerySet(ScopedQuerySet["Job"]):
    def visible_to(self, user: "AnyUser") -> "JobQuerySet":
        # A job's file holds what its owner could see when it ran: nobody else's, district staff
        # included (they start their own).
        if not in_business_scope(user):
            return self.none()
        return self.filter(owner=user)

    def scope(self, user: "User") -> Q:
        return Q(owner=user)


class Job(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=JobKind.choices)
    # The registered importer's or exporter's name (chainparty.jobs), e.g. "partyorgs.organizations".
    name = models.CharField(_("name"), max_length=80)
    # An import runs first as a check (nothing written) and, once clean and confirmed, for real.
    dry_run = models.BooleanField(_("check only"), default=False)
    checked = models.ForeignKey(
        "self", verbose_name=_("checked by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    params = models.CharField(_("parameters"), max_length=2000, blank=True)  # an export's query string
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    phase = models.CharField(_("phase"), max_length=10, choices=JobPhase.choices, blank=True)
    # Each claim by a worker counts one up; only the attempt holding the latest number may finish the
    # job (chainparty.jobs), so a worker presumed dead that wakes up again writes nothing.
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    upload = models.FileField(_("uploaded file"), upload_to="jobs/in/%Y/%m/", max_length=300, blank=True)
    upload_name = models.CharField(_("uploaded file name"), max_length=200, blank=True)
    result = models.FileField(_("result file"), upload_to="jobs/out/%Y/%m/", max_length=300, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        constraints = [
            # A checked file is imported once, however often "import" is pressed.
            models.UniqueConstraint(fields=["checked"], condition=Q(checked__isnull=False), name="job_checked_once"),
        ]
        indexes = [
            # The requeue sweep: unfinished jobs by age.
            models.Index(fields=["status", "heartbeat_at"], name="job_unfinished"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:job-detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0


class RateWindow(models.Model):
    """How many requests one key (a kind of request and who sent it, e.g. "login:203.0.113.7") made
    in one fixed window of time. chainparty.throttle counts with one INSERT … ON CONFLICT DO UPDATE
    per request; windows past their end are purged daily (accounts.tasks)."""

    key = models.CharField(_("throttle key"), max_length=200)
    window_start = models.DateTimeField(_("window start"))
    expires_at = models.DateTimeField(_("window end"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("request count")
        verbose_name_plural = _("request counts")
        constraints = [
            # The upsert's conflict target: one row per key and window.
            models.UniqueConstraint(fields=["key", "window_start"], name="rate_window_once"),
        ]
        # The purge: windows that have ended.
        indexes = [models.Index(fields=["expires_at"], name="rate_window_expiry")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M:%S}: {self.count}"
