from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DispatchKind(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", _("First secretary")
    INSTRUCTOR = "instructor", _("Party-building instructor")


class DispatchStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class DispatchQuerySet(models.QuerySet):
    def active(self, on=None) -> "DispatchQuerySet":
        day = on or timezone.localdate()
        return self.filter(status=DispatchStatus.ACTIVE, start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class Dispatch(models.Model):
    """A cadre dispatched to an SME as first secretary or party-building instructor (§4.5).

    The foundation keeps only what scope needs (who is dispatched where, and when); work logs and
    the rest of §4.5 arrive with the first-secretaries issue.
    """

    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="dispatches"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=DispatchKind.choices, default=DispatchKind.FIRST_SECRETARY
    )
    enterprise = models.ForeignKey(
        "chains.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="dispatches"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DispatchStatus.choices, default=DispatchStatus.ACTIVE)

    objects = DispatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="dispatch_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.enterprise}"
